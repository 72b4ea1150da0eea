from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from verifications.models import Status, Verification, VerificationResult
from verifications.selectors import SORT_FIELDS


class VerificationResultSerializer(serializers.ModelSerializer):
    verification_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = VerificationResult
        fields = [
            "id",
            "verification_id",
            "verificator_id",
            "details",
            "result",
            "confidence_score",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VerificationSerializer(serializers.ModelSerializer):
    results = VerificationResultSerializer(many=True, read_only=True)
    account_id = serializers.UUIDField(read_only=True)
    image_thumbnail_url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    # Explicit, so the schema says "array of strings or null" (a bare nullable
    # JSONField becomes oneOf [{}, null], which null matches twice).
    jailbreak_indicators = serializers.ListField(
        child=serializers.CharField(), allow_null=True, read_only=True
    )

    class Meta:
        model = Verification
        fields = [
            "id",
            "status",
            "results",
            "result",
            "result_confidence",
            "raw_metadata",
            "image_metadata",
            "rendition_info",
            "rendition_corrected_info",
            "raw_photo_hash",
            "image_photo_hash",
            "image_thumbnail_url",
            "name",
            "short_code",
            "account_id",
            "created_at",
            "updated_at",
            "security_score",
            "attestation_validated",
            "device_fingerprint_id",
            "camera_fingerprint_id",
            "sequence_number",
            "integrity_score",
            "jailbreak_indicators",
            "capture_gps_latitude",
            "capture_gps_longitude",
            "failure_reason",
        ]
        read_only_fields = fields

    def get_image_thumbnail_url(self, obj: Verification) -> str | None:
        if not obj.thumbnail:
            return None
        path = reverse("api-verification-thumbnail", kwargs={"verification_id": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class VerificationCreateSerializer(serializers.Serializer):
    """The multipart form of create_verification (documentation and field checks)."""

    raw = serializers.FileField(
        help_text="Camera RAW: CR2, CR3, ARW, NEF, DNG, RAF, ORF, RW2, PEF or SRW."
    )
    image = serializers.FileField(help_text="The published JPEG.")
    attestation_id = serializers.UUIDField(required=False, allow_null=True)


class VerificationCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    security_score = serializers.FloatField(allow_null=True, required=False)


class VerificationListQuerySerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    result = serializers.BooleanField(required=False, allow_null=True, default=None)
    sort_by = serializers.ChoiceField(choices=SORT_FIELDS, required=False, default="created_at")
    sort_order = serializers.ChoiceField(choices=("asc", "desc"), required=False, default="desc")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
