"""Reads on the marketplace, scoped to the account that asks."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from lumethic.models import Account
from marketplace.models import Listing, Purchase, PurchaseStatus


def as_uuid(value: object) -> uuid.UUID | None:
    """A UUID, or None for anything else (ids from URLs and Stripe metadata)."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def listing_get_public(*, listing_id: object) -> Listing | None:
    """Any listing by its (unguessable) id: listings are shared by direct link."""
    return Listing.objects.select_related("verification").filter(pk=listing_id).first()


def listings_for_account(*, account: Account) -> QuerySet[Listing]:
    return Listing.objects.filter(account=account).order_by("-created_at", "id")


def listing_get(*, account: Account, listing_id: object) -> Listing | None:
    """The seller's own listing; another account's id reads as missing."""
    return listings_for_account(account=account).filter(pk=listing_id).first()


def purchases_for_buyer(*, account: Account) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(buyer_account=account)
        .select_related("listing", "listing__verification")
        .order_by("-created_at", "id")
    )


def sales_for_seller(*, account: Account) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(listing__account=account)
        .select_related("listing")
        .order_by("-created_at", "id")
    )


def purchase_get(*, purchase_id: object) -> Purchase | None:
    """A purchase by id, unscoped: the download rules decide who may use it."""
    return (
        Purchase.objects.select_related("listing", "listing__verification")
        .filter(pk=purchase_id)
        .first()
    )


def purchase_get_for_participant(*, account: Account, purchase_id: object) -> Purchase | None:
    """A purchase the account bought or sold."""
    return (
        Purchase.objects.select_related("listing", "listing__verification")
        .filter(Q(buyer_account=account) | Q(listing__account=account), pk=purchase_id)
        .first()
    )


def buyer_purchases_of_listing(*, account: Account, listing: Listing) -> QuerySet[Purchase]:
    return Purchase.objects.filter(buyer_account=account, listing=listing).order_by(
        "-download_expires_at"
    )


def listing_sales_analytics(*, listing: Listing, start: dt.date, end: dt.date) -> dict:
    """Paid sales per UTC day in [start, end], zero-filled so charts need no gaps logic."""
    rows = (
        Purchase.objects.filter(
            listing=listing,
            status=PurchaseStatus.PAID,
            paid_at__date__gte=start,
            paid_at__date__lte=end,
        )
        .annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(count=Count("id"), revenue=Sum("price_cents"))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    daily = []
    day = start
    while day <= end:
        row = by_day.get(day)
        daily.append(
            {
                "date": day.isoformat(),
                "count": row["count"] if row else 0,
                "revenue_cents": int(row["revenue"] or 0) if row else 0,
            }
        )
        day += dt.timedelta(days=1)
    return {
        "total_sales": sum(d["count"] for d in daily),
        "total_revenue_cents": sum(d["revenue_cents"] for d in daily),
        "daily_sales": daily,
    }


def verification_has_paid_sales(*, verification: object) -> bool:
    """True when buyers hold licenses on this photo (deleting it would break their downloads)."""
    return Purchase.objects.filter(
        listing__verification=verification, status=PurchaseStatus.PAID
    ).exists()
