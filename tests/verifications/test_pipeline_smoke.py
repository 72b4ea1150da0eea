from __future__ import annotations

from verifications.models import Status


def test_a_real_pair_is_analysed_to_completed_by_the_sandboxed_engine(completed_verification):
    v = completed_verification
    assert v.status == Status.COMPLETED
    ids = set(v.results.values_list("verificator_id", flat=True))
    assert {"raw_integrity", "exif_consistency"} <= ids
    assert v.thumbnail.name
