"""Shutter-count continuity: the count only grows with capture time on one body."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.provenance.cameras import shoot
from tests.provenance.conftest import payload_for, sha256_file
from tests.provenance.engine import BODY, result_of, submit
from tests.verifications.helpers import make_verification


@pytest.fixture
def earlier(alice):  # noqa: ANN001, ANN201
    """A completed verification of body #000123: count 500 on June 1st, noon."""
    return make_verification(
        alice.account,
        name="harbour at dawn",
        camera_make=BODY["make"],
        camera_model=BODY["model"],
        raw_metadata=dict(BODY),
        sequence_number=500,
        captured_at=dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC),
        raw_photo_hash="e" * 64,
    )


@pytest.fixture
def raw(tmp_path):  # noqa: ANN001, ANN201
    return shoot(tmp_path, sensor_seed=3, shot=2, size=(256, 256))


def test_a_later_capture_with_a_lower_count_is_flagged_naming_the_earlier_one(
    alice, earlier, raw, process, monkeypatch
):
    v = submit(
        alice, process, monkeypatch, raw, capture_time="2024:06:02 09:00:00", image_number=400
    )
    exif = result_of(v, "exif_consistency")
    assert exif.result is False
    (conflict,) = exif.details["sequence_conflicts"]
    assert conflict["verification_id"] == str(earlier.pk)
    assert conflict["short_code"] == earlier.short_code
    # Named from the other verification's side: it is earlier and counted higher.
    assert conflict["kind"] == "earlier_capture_higher_count"
    assert "harbour at dawn" in exif.details["sequence_explanation"]
    assert exif.details["explanation"] == "ok"  # the engine's own findings are kept
    assert v.result is False


def test_an_earlier_capture_with_a_higher_count_is_flagged(
    alice, earlier, raw, process, monkeypatch
):
    v = submit(
        alice, process, monkeypatch, raw, capture_time="2024:05:30 09:00:00", image_number=900
    )
    (conflict,) = result_of(v, "exif_consistency").details["sequence_conflicts"]
    assert conflict["kind"] == "later_capture_lower_count"


def test_a_duplicated_count_is_flagged(alice, earlier, raw, process, monkeypatch):
    v = submit(
        alice, process, monkeypatch, raw, capture_time="2024:06:03 09:00:00", image_number=500
    )
    (conflict,) = result_of(v, "exif_consistency").details["sequence_conflicts"]
    assert conflict["kind"] == "duplicate_count"
    assert v.result is False


def test_a_count_that_grows_with_time_passes(alice, earlier, raw, process, monkeypatch):
    v = submit(
        alice, process, monkeypatch, raw, capture_time="2024:06:02 09:00:00", image_number=620
    )
    exif = result_of(v, "exif_consistency")
    assert exif.result is True and "sequence_conflicts" not in exif.details
    assert v.result is True


def test_another_body_or_account_is_not_compared(alice, bob, earlier, raw, process, monkeypatch):
    other_body = submit(
        alice,
        process,
        monkeypatch,
        raw,
        capture_time="2024:06:02 09:00:00",
        image_number=400,
        body_serial="999999",
    )
    assert result_of(other_body, "exif_consistency").result is True
    other_account = submit(
        bob, process, monkeypatch, raw, capture_time="2024:06:02 09:00:00", image_number=400
    )
    assert result_of(other_account, "exif_consistency").result is True


def test_attested_sequence_numbers_are_checked_per_device(
    alice, attest, raw, process, monkeypatch, tmp_path
):
    first = attest(payload_for(sha256_file(raw), sequence_number=10)).json()
    v1 = submit(alice, process, monkeypatch, raw, attestation_id=first["id"], image_number=7777)
    # The signed counter and capture time outrank EXIF's, which the engine stored first.
    assert v1.sequence_number == 10 and v1.attestation_validated is True
    assert v1.captured_at == dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert result_of(v1, "exif_consistency").result is True
    second_raw = shoot(tmp_path, sensor_seed=3, shot=3, size=(256, 256))
    later = payload_for(
        sha256_file(second_raw), sequence_number=9, captured_at="2024-06-01T13:00:00Z"
    )
    v2 = submit(alice, process, monkeypatch, second_raw, attestation_id=attest(later).json()["id"])
    (conflict,) = result_of(v2, "exif_consistency").details["sequence_conflicts"]
    assert conflict["verification_id"] == str(v1.pk)
    assert v2.result is False
