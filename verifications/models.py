"""A verification: one RAW + one JPEG, the engine's verdict and its evidence."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

# Crockford-like alphabet: no 0/O, 1/I/L confusion when read aloud or printed.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 10  # ~49 bits: unguessable by enumeration, short enough to print


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    QUEUED = "queued", "Queued"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class Verification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="verifications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=255)
    short_code = models.CharField(
        max_length=16, unique=True, default=new_short_code, editable=False
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    result = models.BooleanField(null=True, blank=True)
    result_confidence = models.FloatField(null=True, blank=True)
    failure_reason = models.TextField(null=True, blank=True)

    raw_file = models.FileField(max_length=300)
    image_file = models.FileField(max_length=300)
    raw_filename = models.CharField(max_length=255, blank=True, default="")
    image_filename = models.CharField(max_length=255, blank=True, default="")
    raw_format = models.CharField(max_length=10, blank=True, default="")
    raw_size = models.BigIntegerField(default=0)
    image_size = models.BigIntegerField(default=0)
    raw_photo_hash = models.CharField(max_length=64, db_index=True)
    image_photo_hash = models.CharField(max_length=64, db_index=True)

    raw_metadata = models.JSONField(default=dict, blank=True)
    image_metadata = models.JSONField(default=dict, blank=True)
    rendition_info = models.JSONField(default=dict, blank=True)
    rendition_corrected_info = models.JSONField(default=dict, blank=True)
    regions = models.JSONField(default=list, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    thumbnail = models.FileField(max_length=300, blank=True, default="")
    rendition_image = models.FileField(max_length=300, blank=True, default="")
    heatmap_image = models.FileField(max_length=300, blank=True, default="")

    # Camera identity and provenance (attestations fill the rest).
    camera_make = models.CharField(max_length=100, blank=True, default="")
    camera_model = models.CharField(max_length=100, blank=True, default="")
    security_score = models.FloatField(null=True, blank=True)
    attestation_id = models.UUIDField(null=True, blank=True)
    attestation_validated = models.BooleanField(null=True, blank=True)
    device_fingerprint_id = models.CharField(max_length=128, null=True, blank=True)
    camera_fingerprint_id = models.CharField(max_length=128, null=True, blank=True)
    sequence_number = models.BigIntegerField(null=True, blank=True)
    integrity_score = models.FloatField(null=True, blank=True)
    jailbreak_indicators = models.JSONField(null=True, blank=True)
    capture_gps_latitude = models.FloatField(null=True, blank=True)
    capture_gps_longitude = models.FloatField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)

    # Worker bookkeeping.
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=40, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})"


class VerificationResult(models.Model):
    """One analysis' outcome; verificator_id is stable per analysis kind."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="results")
    verificator_id = models.CharField(max_length=50)
    result = models.BooleanField()
    confidence_score = models.FloatField()
    details = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "verificator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["verification", "verificator_id"], name="one_result_per_analysis"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verificator_id}: {'pass' if self.result else 'fail'}"
