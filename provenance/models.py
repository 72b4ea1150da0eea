"""Camera identity and provenance: capture-device keys, signed attestations, sensor fingerprints."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class DeviceKey(models.Model):
    """An Ed25519 public key a capture app registered for one account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="device_keys"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100, blank=True, default="")
    platform = models.CharField(max_length=40, blank=True, default="")
    public_key = models.CharField(max_length=64)  # 32 raw bytes, hex
    # sha256 of the raw key: what a verification shows as its device_fingerprint_id.
    fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint"], name="one_device_key_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or 'device'} ({self.fingerprint[:12]})"


class Attestation(models.Model):
    """What a device signed at capture, and whether the signature verified."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="attestations"
    )
    device_key = models.ForeignKey(DeviceKey, on_delete=models.CASCADE, related_name="attestations")
    raw_sha256 = models.CharField(max_length=64, db_index=True)
    captured_at = models.DateTimeField()
    gps_latitude = models.FloatField(null=True, blank=True)
    gps_longitude = models.FloatField(null=True, blank=True)
    sequence_number = models.BigIntegerField()
    integrity_verdict = models.CharField(max_length=20, default="unknown")
    jailbreak_indicators = models.JSONField(default=list, blank=True)
    payload = models.JSONField()  # exactly the object whose canonical JSON was signed
    signature = models.CharField(max_length=100)  # base64
    validated = models.BooleanField(default=False)
    validation_error = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["device_key", "sequence_number"])]

    def __str__(self) -> str:
        return f"attestation {self.pk} ({'valid' if self.validated else 'not validated'})"


class CameraFingerprint(models.Model):
    """A body's PRNU estimate (make + model + serial, per account), kept as an .npz file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="camera_fingerprints"
    )
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    serial = models.CharField(max_length=100)
    file = models.FileField(max_length=300)
    raw_count = models.PositiveIntegerField(default=0)
    # The RAWs already folded in, so a re-run never counts one twice (capped, see services).
    raw_hashes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["make", "model", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "make", "model", "serial"], name="one_fingerprint_per_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.model} #{self.serial} ({self.raw_count} RAWs)"
