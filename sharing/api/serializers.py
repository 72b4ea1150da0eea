from __future__ import annotations

from rest_framework import serializers

from sharing.models import AccessType


class ShareSerializer(serializers.Serializer):
    verification_id = serializers.UUIDField()
    access_type = serializers.ChoiceField(choices=AccessType.choices)
    share_url = serializers.CharField()
    invited_emails = serializers.ListField(child=serializers.CharField())


class ShareUpdateSerializer(serializers.Serializer):
    access_type = serializers.ChoiceField(choices=AccessType.choices)


class ShareInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)

    def validate_email(self, value: str) -> str:
        return value.strip().lower()


class ShareInviteResultSerializer(serializers.Serializer):
    email = serializers.CharField()
    user_exists = serializers.BooleanField()


class DailyViewsSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class ViewAnalyticsSerializer(serializers.Serializer):
    total_views = serializers.IntegerField()
    daily_views = DailyViewsSerializer(many=True)


class ViewAnalyticsQuerySerializer(serializers.Serializer):
    """Documentation of the query; parsing is strict YYYY-MM-DD in the view (400 otherwise)."""

    start_date = serializers.DateField(
        required=False, help_text="First day (YYYY-MM-DD, UTC); default: 29 days before end_date."
    )
    end_date = serializers.DateField(
        required=False, help_text="Last day (YYYY-MM-DD, UTC), included; default: today."
    )
