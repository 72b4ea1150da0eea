"""Writes on provenance: device keys, attestations, and what an attestation gives a verification."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.exceptions import NotFound

from lumethic.api.errors import validation_error
from lumethic.models import Account, User
from provenance import signing
from provenance.models import Attestation, DeviceKey
from provenance.scoring import device_integrity, security_score
from provenance.selectors import attestation_get, device_key_get

INTEGRITY_VERDICTS = ("pass", "fail", "unknown")


def device_key_register(
    *, account: Account, user: User | None, public_key: str, name: str = "", platform: str = ""
) -> tuple[DeviceKey, bool]:
    """Register (or find again) a device's Ed25519 key; returns (key, created)."""
    try:
        raw = signing.load_public_key(public_key)
    except signing.PublicKeyError as exc:
        raise validation_error("body", "public_key", str(exc)) from None
    fingerprint = signing.key_fingerprint(raw)
    existing = DeviceKey.objects.filter(account=account, fingerprint=fingerprint).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            key = DeviceKey.objects.create(
                account=account,
                created_by=user,
                name=name[:100],
                platform=platform[:40],
                public_key=raw.hex(),
                fingerprint=fingerprint,
            )
    except IntegrityError:  # registered concurrently by the same app
        return DeviceKey.objects.get(account=account, fingerprint=fingerprint), False
    return key, True


def attestation_create(
    *,
    account: Account,
    device_id: uuid.UUID,
    payload: dict[str, Any],
    fields: dict[str, Any],
    signature: str,
) -> Attestation:
    """Store an attestation; a signature that does not verify is kept, marked not validated.

    `fields` is the payload already type-checked by the serializer. Keeping bad
    signatures (rather than refusing them) lets a verification show
    `attestation_validated: false` and lets support see what a broken app sends;
    nothing in an unvalidated attestation is ever copied onto a verification.
    """
    device = device_key_get(account=account, device_id=device_id)
    if device is None:
        raise validation_error("body", "device_id", "No device key with this id in your account.")
    sig = signing.decode_signature(signature)
    if sig is None:
        raise validation_error(
            "body", "signature", "An Ed25519 signature is 64 bytes (base64 or hex)."
        )
    duplicate = Attestation.objects.filter(
        device_key=device, signature=signature, raw_sha256=fields["raw_sha256"]
    ).first()
    if duplicate is not None:  # the app retried its upload: same answer
        return duplicate
    error = ""
    if not signing.verify(bytes.fromhex(device.public_key), sig, payload):
        error = "The signature does not verify with the device's key."
    elif (
        Attestation.objects.filter(
            device_key=device, sequence_number=fields["sequence_number"], validated=True
        )
        .exclude(raw_sha256=fields["raw_sha256"])
        .exists()
    ):
        error = "The device already attested this sequence number for another RAW."
    integrity = fields.get("integrity") or {}
    gps = fields.get("gps") or {}
    return Attestation.objects.create(
        account=account,
        device_key=device,
        raw_sha256=fields["raw_sha256"],
        captured_at=fields["captured_at"],
        gps_latitude=gps.get("latitude"),
        gps_longitude=gps.get("longitude"),
        sequence_number=fields["sequence_number"],
        integrity_verdict=integrity.get("verdict", "unknown"),
        jailbreak_indicators=list(integrity.get("jailbreak_indicators") or []),
        payload=payload,
        signature=signature,
        validated=not error,
        validation_error=error,
    )


def attestation_for_verification(*, account: Account, attestation_id: uuid.UUID) -> Attestation:
    """The caller's attestation, or 404 (also for another account's: never reveal it)."""
    attestation = attestation_get(account=account, attestation_id=attestation_id)
    if attestation is None:
        raise NotFound("Attestation not found.")
    return attestation


def attestation_fields(*, attestation: Attestation, raw_sha256: str) -> dict[str, Any]:
    """What a verification's row takes from its attestation; 422 if it attests another RAW."""
    if attestation.raw_sha256.lower() != raw_sha256.lower():
        raise validation_error("body", "raw", "file hash mismatch", "file_hash_mismatch")
    fields: dict[str, Any] = {
        "attestation_id": attestation.pk,
        "attestation_validated": attestation.validated,
    }
    if attestation.validated:
        fields.update(attested_claims(attestation))
    fields["security_score"] = attestation_score(attestation, integrity=None, authentic=None)
    return fields


def attested_claims(attestation: Attestation) -> dict[str, Any]:
    """The signed facts a validated attestation vouches for."""
    return {
        "device_fingerprint_id": attestation.device_key.fingerprint,
        "sequence_number": attestation.sequence_number,
        "capture_gps_latitude": attestation.gps_latitude,
        "capture_gps_longitude": attestation.gps_longitude,
        "jailbreak_indicators": list(attestation.jailbreak_indicators or []),
        "captured_at": attestation.captured_at,
    }


def attestation_score(
    attestation: Attestation | None, *, integrity: float | None, authentic: bool | None
) -> float:
    valid = bool(attestation and attestation.validated)
    device = (
        device_integrity(
            verdict=attestation.integrity_verdict, indicators=attestation.jailbreak_indicators
        )
        if attestation is not None and valid
        else 0.0
    )
    return security_score(
        attestation_valid=valid, device=device, integrity=integrity, authentic=authentic
    )
