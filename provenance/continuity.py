"""Shutter-count continuity: on one camera, the count only grows with capture time.

A RAW whose count and time contradict an earlier verification of the same body
(an older capture with a higher count, a newer one with a lower count, or the same
count on another RAW) was re-stamped, or comes from another body wearing this one's
serial. With a valid attestation the counter is the capture device's signed
sequence number and the body is that device; otherwise EXIF's image number and
capture time of make + model + body serial.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from verifications.models import Status, Verification

MAX_REPORTED = 5


def sequence_conflicts(
    verification: Verification, *, body: tuple[str, str, str] | None
) -> list[dict[str, Any]]:
    seq, when = verification.sequence_number, verification.captured_at
    if seq is None or when is None:
        return []
    others = (
        Verification.objects.filter(
            account_id=verification.account_id,
            status=Status.COMPLETED,
            sequence_number__isnull=False,
            captured_at__isnull=False,
        )
        .exclude(pk=verification.pk)
        .exclude(raw_photo_hash=verification.raw_photo_hash)  # the same RAW verified again
    )
    if verification.attestation_validated and verification.device_fingerprint_id:
        others = others.filter(
            attestation_validated=True, device_fingerprint_id=verification.device_fingerprint_id
        )
    elif body is not None:
        make, model, serial = body
        others = others.filter(
            camera_make=make, camera_model=model, raw_metadata__body_serial=serial
        ).exclude(attestation_validated=True)
    else:
        return []
    contradicting = others.filter(
        Q(sequence_number=seq)
        | Q(captured_at__lt=when, sequence_number__gt=seq)
        | Q(captured_at__gt=when, sequence_number__lt=seq)
    ).order_by("captured_at")[:MAX_REPORTED]
    return [_describe(other, seq) for other in contradicting]


def _describe(other: Verification, seq: int) -> dict[str, Any]:
    if other.sequence_number == seq:
        kind = "duplicate_count"
    elif other.sequence_number > seq:
        kind = "earlier_capture_higher_count"
    else:
        kind = "later_capture_lower_count"
    return {
        "verification_id": str(other.pk),
        "name": other.name,
        "short_code": other.short_code,
        "sequence_number": other.sequence_number,
        "captured_at": other.captured_at.isoformat().replace("+00:00", "Z"),
        "kind": kind,
    }
