from __future__ import annotations

from urllib.parse import urlparse

from rest_framework import serializers

from marketplace.models import Currency, LicenseType, Listing, Purchase, PurchaseStatus

# Stripe's largest amount (8 digits); larger prices could never be charged.
MAX_PRICE = 99_999_999


class ListingSerializer(serializers.ModelSerializer):
    verification_id = serializers.UUIDField(read_only=True)
    currency = serializers.ChoiceField(choices=Currency.choices, read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "verification_id",
            "title",
            "description",
            "is_active",
            "currency",
            "price_personal_cents",
            "price_commercial_cents",
            "price_editorial_cents",
            "price_extended_cents",
            "license_terms_personal",
            "license_terms_commercial",
            "license_terms_editorial",
            "license_terms_extended",
            "total_sales",
            "total_revenue_cents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _price() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_PRICE,
        help_text="In the currency's smallest unit (cents; whole yen/won for JPY/KRW).",
    )


def _terms() -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=10_000
    )


class ListingWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=10_000
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    price_personal_cents = _price()
    price_commercial_cents = _price()
    price_editorial_cents = _price()
    price_extended_cents = _price()
    license_terms_personal = _terms()
    license_terms_commercial = _terms()
    license_terms_editorial = _terms()
    license_terms_extended = _terms()


class ListingCreateQuerySerializer(serializers.Serializer):
    verification_id = serializers.UUIDField()


class LimitOffsetQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**31 - 1)


class PurchaseSerializer(serializers.ModelSerializer):
    listing_id = serializers.UUIDField(read_only=True)
    currency = serializers.ChoiceField(choices=Currency.choices, read_only=True)
    license_type = serializers.ChoiceField(choices=LicenseType.choices, read_only=True)
    status = serializers.ChoiceField(choices=PurchaseStatus.choices, read_only=True)

    class Meta:
        model = Purchase
        fields = [
            "id",
            "listing_id",
            "currency",
            "price_cents",
            "license_type",
            "status",
            "download_expires_at",
            "created_at",
        ]
        read_only_fields = fields


class PurchaseCreateSerializer(serializers.Serializer):
    license_type = serializers.ChoiceField(choices=LicenseType.choices)


def _web_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise serializers.ValidationError("Enter an absolute http(s) URL.")
    return value


class PurchaseQuerySerializer(serializers.Serializer):
    success_url = serializers.CharField(required=False, max_length=2000, validators=[_web_url])
    cancel_url = serializers.CharField(required=False, max_length=2000, validators=[_web_url])


class CheckoutSerializer(serializers.Serializer):
    purchase_id = serializers.CharField()
    checkout_url = serializers.CharField(allow_null=True)


class SalesAnalyticsQuerySerializer(serializers.Serializer):
    start_date = serializers.CharField(required=False, help_text="YYYY-MM-DD (UTC)")
    end_date = serializers.CharField(required=False, help_text="YYYY-MM-DD (UTC)")


class DailySalesSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()
    revenue_cents = serializers.IntegerField()


class SalesAnalyticsSerializer(serializers.Serializer):
    total_sales = serializers.IntegerField()
    total_revenue_cents = serializers.IntegerField()
    daily_sales = DailySalesSerializer(many=True)
