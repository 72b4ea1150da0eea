"""get_listing_sales_analytics: daily counts and revenue of paid sales over a date range."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from marketplace.models import Purchase, PurchaseStatus


def url(listing, query: str = "") -> str:  # noqa: ANN001
    return f"/v1/marketplace/listings/{getattr(listing, 'pk', listing)}/analytics/sales{query}"


def sale(
    listing, buyer, when: dt.datetime, cents: int, status: str = PurchaseStatus.PAID
) -> Purchase:  # noqa: ANN001
    return Purchase.objects.create(
        listing=listing,
        buyer_account=buyer.account,
        license_type="personal",
        currency=listing.currency,
        price_cents=cents,
        status=status,
        paid_at=when if status != PurchaseStatus.PENDING else None,
    )


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def test_daily_counts_and_revenue_over_the_range_zero_filled(seller, buyer, listing):
    sale(listing, buyer, at("2024-01-15", 1), 1000)
    sale(listing, buyer, at("2024-01-15", 23), 5000)
    sale(listing, buyer, at("2024-01-17"), 1000)
    sale(listing, buyer, at("2024-01-20"), 1000)  # outside the range
    sale(listing, buyer, at("2024-01-16"), 9999, PurchaseStatus.REFUNDED)
    sale(listing, buyer, at("2024-01-16"), 9999, PurchaseStatus.PENDING)
    response = seller.client.get(url(listing, "?start_date=2024-01-15&end_date=2024-01-17"))
    assert response.status_code == 200
    assert response.json() == {
        "total_sales": 3,
        "total_revenue_cents": 7000,
        "daily_sales": [
            {"date": "2024-01-15", "count": 2, "revenue_cents": 6000},
            {"date": "2024-01-16", "count": 0, "revenue_cents": 0},
            {"date": "2024-01-17", "count": 1, "revenue_cents": 1000},
        ],
    }


def test_the_default_range_is_the_last_30_days(seller, buyer, listing):
    sale(listing, buyer, timezone.now(), 1000)
    body = seller.client.get(url(listing)).json()
    assert len(body["daily_sales"]) == 30
    assert body["daily_sales"][-1]["date"] == timezone.now().date().isoformat()
    assert body["total_sales"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=2024-13-01",
        "?start_date=yesterday",
        "?end_date=2024-02-30",
        "?start_date=20240101",
        "?start_date=2024-02-01&end_date=2024-01-01",
        "?start_date=2020-01-01&end_date=2024-01-01",
    ],
)
def test_bad_dates_are_400(seller, listing, query):
    response = seller.client.get(url(listing, query))
    assert response.status_code == 400
    assert "date" in response.json()["detail"]


def test_another_accounts_listing_is_404(buyer, listing):
    assert buyer.client.get(url(listing)).status_code == 404


def test_unknown_and_malformed_ids(seller):
    assert seller.client.get(url(uuid.uuid4())).status_code == 404
    assert seller.client.get(url("nope")).status_code == 422


def test_analytics_need_credentials(anon, listing):
    assert anon.get(url(listing)).status_code == 401
