from __future__ import annotations

from rest_framework import serializers

from provenance.models import Attestation, DeviceKey
from provenance.services import INTEGRITY_VERDICTS


class DeviceKeyCreateSerializer(serializers.Serializer):
    public_key = serializers.CharField(
        max_length=2000,
        help_text="Ed25519 public key: the 32 raw bytes in base64 or hex, or a PEM SubjectPublicKeyInfo.",
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    platform = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class DeviceKeySerializer(serializers.ModelSerializer):
    account_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = DeviceKey
        fields = ["id", "account_id", "name", "platform", "public_key", "fingerprint", "created_at"]
        read_only_fields = fields


class GpsSerializer(serializers.Serializer):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)


class IntegritySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=INTEGRITY_VERDICTS, default="unknown")
    jailbreak_indicators = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, default=list
    )


class AttestationPayloadSerializer(serializers.Serializer):
    """The object the device signs (its canonical JSON, RFC 8785)."""

    version = serializers.IntegerField(min_value=1, max_value=1, default=1)
    raw_sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", max_length=64)
    captured_at = serializers.DateTimeField()
    sequence_number = serializers.IntegerField(min_value=0, max_value=2**62)
    gps = GpsSerializer(required=False, allow_null=True)
    integrity = IntegritySerializer(required=False)


class AttestationCreateSerializer(serializers.Serializer):
    device_id = serializers.UUIDField()
    payload = AttestationPayloadSerializer()
    signature = serializers.CharField(
        max_length=200, help_text="Ed25519 signature of the payload's canonical JSON, base64."
    )


class AttestationSerializer(serializers.ModelSerializer):
    account_id = serializers.UUIDField(read_only=True)
    device_id = serializers.UUIDField(source="device_key_id", read_only=True)
    device_fingerprint_id = serializers.CharField(source="device_key.fingerprint", read_only=True)

    class Meta:
        model = Attestation
        fields = [
            "id",
            "account_id",
            "device_id",
            "device_fingerprint_id",
            "raw_sha256",
            "captured_at",
            "sequence_number",
            "gps_latitude",
            "gps_longitude",
            "integrity_verdict",
            "jailbreak_indicators",
            "payload",
            "signature",
            "validated",
            "validation_error",
            "created_at",
        ]
        read_only_fields = fields
