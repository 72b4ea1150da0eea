from __future__ import annotations

from django.urls import path

from marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("marketplace/listings/", views.seller_listings, name="seller-listings"),
    path("marketplace/listings/<anyuuid:listing_id>/", views.listing_page, name="listing"),
    path(
        "marketplace/listings/<anyuuid:listing_id>/preview.jpg",
        views.listing_preview_image,
        name="listing-preview",
    ),
    path("marketplace/listings/<anyuuid:listing_id>/buy", views.listing_buy, name="listing-buy"),
    path("marketplace/sales/", views.seller_sales, name="seller-sales"),
    path("marketplace/purchases/", views.buyer_purchases, name="purchases"),
    path(
        "marketplace/purchases/<anyuuid:purchase_id>/",
        views.purchase_detail,
        name="purchase-detail",
    ),
    path(
        "marketplace/purchases/<anyuuid:purchase_id>/download",
        views.purchase_download,
        name="purchase-download",
    ),
    path("marketplace/upgrade/", views.plan_upgrade, name="plan-upgrade"),
]
