"""Listings of verified photos, their purchases, and the Stripe events we applied."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Currency(models.TextChoices):
    USD = "usd", "USD"
    CAD = "cad", "CAD"
    MXN = "mxn", "MXN"
    EUR = "eur", "EUR"
    GBP = "gbp", "GBP"
    CHF = "chf", "CHF"
    SEK = "sek", "SEK"
    NOK = "nok", "NOK"
    DKK = "dkk", "DKK"
    PLN = "pln", "PLN"
    CZK = "czk", "CZK"
    HUF = "huf", "HUF"
    RON = "ron", "RON"
    BGN = "bgn", "BGN"
    AUD = "aud", "AUD"
    NZD = "nzd", "NZD"
    JPY = "jpy", "JPY"
    SGD = "sgd", "SGD"
    HKD = "hkd", "HKD"
    KRW = "krw", "KRW"
    CNY = "cny", "CNY"
    INR = "inr", "INR"
    THB = "thb", "THB"
    MYR = "myr", "MYR"
    BRL = "brl", "BRL"
    AED = "aed", "AED"
    ZAR = "zar", "ZAR"
    ILS = "ils", "ILS"


# Stripe takes amounts in the smallest unit; for these there is no minor unit,
# so "price_personal_cents": 1500 in JPY means ¥1,500, not ¥15.
ZERO_DECIMAL_CURRENCIES = frozenset({Currency.JPY, Currency.KRW})


class LicenseType(models.TextChoices):
    PERSONAL = "personal", "Personal"
    COMMERCIAL = "commercial", "Commercial"
    EDITORIAL = "editorial", "Editorial"
    EXTENDED = "extended", "Extended"


class Listing(models.Model):
    """A verified photo offered for sale; reachable by direct link only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="listings"
    )
    verification = models.ForeignKey(
        "verifications.Verification", on_delete=models.CASCADE, related_name="listings"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    price_personal_cents = models.PositiveIntegerField(null=True, blank=True)
    price_commercial_cents = models.PositiveIntegerField(null=True, blank=True)
    price_editorial_cents = models.PositiveIntegerField(null=True, blank=True)
    price_extended_cents = models.PositiveIntegerField(null=True, blank=True)
    license_terms_personal = models.TextField(null=True, blank=True)
    license_terms_commercial = models.TextField(null=True, blank=True)
    license_terms_editorial = models.TextField(null=True, blank=True)
    license_terms_extended = models.TextField(null=True, blank=True)
    # Maintained by the webhook with F() updates, so concurrent sales never lose one.
    total_sales = models.PositiveIntegerField(default=0)
    total_revenue_cents = models.BigIntegerField(default=0)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def price_for(self, license_type: str) -> int | None:
        return getattr(self, f"price_{license_type}_cents", None)

    def terms_for(self, license_type: str) -> str | None:
        return getattr(self, f"license_terms_{license_type}", None)


class PurchaseStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"


class Purchase(models.Model):
    """One license bought (or being bought) through a Stripe Checkout Session."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="purchases")
    buyer_account = models.ForeignKey(
        "lumethic.Account", on_delete=models.CASCADE, related_name="purchases"
    )
    buyer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    license_type = models.CharField(max_length=20, choices=LicenseType.choices)
    # Copied from the listing at purchase time: later price edits never change a sale.
    currency = models.CharField(max_length=3, choices=Currency.choices)
    price_cents = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20,
        choices=PurchaseStatus.choices,
        default=PurchaseStatus.PENDING,
        db_index=True,
    )
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True, default="")
    stripe_payment_intent_id = models.CharField(
        max_length=255, blank=True, default="", db_index=True
    )
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    download_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["buyer_account", "-created_at"]),
            models.Index(fields=["listing", "status", "paid_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.license_type} license of {self.listing_id} ({self.status})"


class ProcessedStripeEvent(models.Model):
    """A Stripe event already applied: the unique id makes each delivery count once.

    The row is inserted in the same transaction as the event's effect, so an
    effect is never applied without its row, nor the row kept without its effect.
    """

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    # The Stripe object the event is about and when Stripe created the event:
    # lets a late, older subscription event be recognised and skipped.
    object_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    stripe_created = models.BigIntegerField(default=0)
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-processed_at"]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"
