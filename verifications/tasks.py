"""django-q2 entry points: thin wrappers around the pipeline."""

from __future__ import annotations

from django.utils import timezone

from lumethic.models import WorkerHeartbeat
from verifications.pipeline import verification_process, verifications_reap


def run_verification(verification_id: str) -> str:
    return verification_process(verification_id=verification_id)


def reap_stale() -> dict[str, int]:
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
    return verifications_reap()
