from __future__ import annotations

from django.contrib import admin

from marketplace.models import Listing, ProcessedStripeEvent, Purchase


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "account",
        "is_active",
        "currency",
        "total_sales",
        "total_revenue_cents",
        "created_at",
    )
    list_filter = ("is_active", "currency", "created_at")
    search_fields = ("title", "id", "verification__short_code", "account__name")
    raw_id_fields = ("account", "verification")
    readonly_fields = ("id", "total_sales", "total_revenue_cents", "created_at", "updated_at")
    date_hierarchy = "created_at"


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "listing",
        "buyer_account",
        "license_type",
        "price_cents",
        "currency",
        "status",
        "paid_at",
        "download_expires_at",
    )
    list_filter = ("status", "license_type", "currency", "paid_at")
    search_fields = (
        "id",
        "listing__title",
        "buyer_account__name",
        "buyer_user__email",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
    )
    raw_id_fields = ("listing", "buyer_account", "buyer_user")
    # Payment state belongs to Stripe's webhook; editing it here would bypass the totals.
    readonly_fields = (
        "id",
        "status",
        "paid_at",
        "refunded_at",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"


@admin.register(ProcessedStripeEvent)
class ProcessedStripeEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "object_id", "processed_at")
    list_filter = ("type",)
    search_fields = ("event_id", "object_id")
    readonly_fields = ("event_id", "type", "object_id", "stripe_created", "processed_at")
