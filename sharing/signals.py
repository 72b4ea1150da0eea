"""Keep sharing's stored files in step with the verifications they belong to."""

from __future__ import annotations

from sharing.renditions import renditions_delete
from verifications.models import Verification


def verification_deleted(sender: type, instance: Verification, **kwargs: object) -> None:
    # The rows go with the verification by cascade; the cached images are ours to remove.
    renditions_delete(verification=instance)
