from __future__ import annotations

from django.urls import path

from marketplace import webhooks
from marketplace.api import views

P = "marketplace/"

urlpatterns = [
    path(f"{P}listings", views.ListingCollectionView.as_view(), name="api-listings"),
    path(
        f"{P}listings/<anyuuid:listing_id>",
        views.ListingDetailView.as_view(),
        name="api-listing-detail",
    ),
    path(
        f"{P}listings/<anyuuid:listing_id>/analytics/sales",
        views.ListingSalesAnalyticsView.as_view(),
        name="api-listing-sales-analytics",
    ),
    path(
        f"{P}listings/<anyuuid:listing_id>/purchase",
        views.ListingPurchaseView.as_view(),
        name="api-listing-purchase",
    ),
    path(
        f"{P}listings/<anyuuid:listing_id>/download",
        views.ListingDownloadView.as_view(),
        name="api-listing-download",
    ),
    path(f"{P}sales", views.SellerSalesView.as_view(), name="api-sales"),
    path(f"{P}purchases", views.BuyerPurchasesView.as_view(), name="api-purchases"),
    path(
        f"{P}purchases/<anyuuid:purchase_id>/download",
        views.PurchaseDownloadView.as_view(),
        name="api-purchase-download",
    ),
    # Not part of the /v1 contract: Stripe's signed events (CSRF-exempt, no API key).
    path(f"{P}webhooks/stripe", webhooks.stripe_webhook, name="stripe-webhook"),
]
