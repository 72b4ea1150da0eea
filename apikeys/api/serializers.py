from __future__ import annotations

from rest_framework import serializers

from apikeys.models import ApiKey


class ApiKeySerializer(serializers.ModelSerializer):
    account_id = serializers.UUIDField(read_only=True)
    user_id = serializers.UUIDField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "prefix",
            "account_id",
            "user_id",
            "description",
            "expires_at",
            "is_active",
            "last_used_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApiKeyCreatedSerializer(ApiKeySerializer):
    raw_key = serializers.CharField(read_only=True, help_text="Shown this once only.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "raw_key"]
        read_only_fields = fields


class ApiKeyCreateSerializer(serializers.Serializer):
    account_id = serializers.UUIDField()
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default=""
    )
    expires_in_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=3650
    )
