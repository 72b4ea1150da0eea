"""Reads on provenance objects, always scoped to an account."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from lumethic.models import Account
from provenance.models import Attestation, CameraFingerprint, DeviceKey


def device_key_get(*, account: Account, device_id: uuid.UUID) -> DeviceKey | None:
    return DeviceKey.objects.filter(account=account, pk=device_id).first()


def attestation_get(*, account: Account, attestation_id: uuid.UUID) -> Attestation | None:
    return (
        Attestation.objects.select_related("device_key")
        .filter(account=account, pk=attestation_id)
        .first()
    )


def fingerprint_for_body(
    *, account: Account, make: str, model: str, serial: str
) -> CameraFingerprint | None:
    return CameraFingerprint.objects.filter(
        account=account, make=make, model=model, serial=serial
    ).first()


def fingerprints_usable(*, account: Account, min_raws: int) -> QuerySet[CameraFingerprint]:
    return CameraFingerprint.objects.filter(account=account, raw_count__gte=min_raws)
