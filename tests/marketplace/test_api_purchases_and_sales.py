"""get_buyer_purchases and get_seller_sales: plain arrays, scoped to the caller."""

from __future__ import annotations

import pytest

from marketplace.models import Purchase
from tests.marketplace.conftest import completed_event

FIELDS = {
    "id",
    "listing_id",
    "currency",
    "price_cents",
    "license_type",
    "status",
    "download_expires_at",
    "created_at",
}


def test_the_buyer_sees_their_purchases_with_status(buyer, listing, buy, deliver):
    first = buy(listing, "personal")
    second = buy(listing, "commercial")
    deliver(completed_event(Purchase.objects.get(pk=first["purchase_id"])))
    body = buyer.client.get("/v1/marketplace/purchases").json()
    assert [p["id"] for p in body] == [second["purchase_id"], first["purchase_id"]]
    assert set(body[0]) == FIELDS
    assert body[0]["status"] == "pending" and body[0]["download_expires_at"] is None
    assert body[1]["status"] == "paid" and body[1]["download_expires_at"].endswith("Z")
    assert (body[1]["price_cents"], body[1]["currency"], body[1]["license_type"]) == (
        1000,
        "usd",
        "personal",
    )
    assert body[1]["listing_id"] == str(listing.pk)


def test_the_seller_sees_sales_of_their_listings_only(seller, buyer, carol, listing, buy):
    bought = buy(listing)
    assert [s["id"] for s in seller.client.get("/v1/marketplace/sales").json()] == [
        bought["purchase_id"]
    ]
    assert buyer.client.get("/v1/marketplace/sales").json() == []
    assert carol.client.get("/v1/marketplace/sales").json() == []
    assert seller.client.get("/v1/marketplace/purchases").json() == []
    assert carol.client.get("/v1/marketplace/purchases").json() == []


def test_limit_and_offset_apply_to_purchases_and_sales(seller, buyer, listing, buy):
    ids = [buy(listing)["purchase_id"] for _ in range(3)][::-1]
    assert [p["id"] for p in buyer.client.get("/v1/marketplace/purchases?limit=2").json()] == ids[
        :2
    ]
    assert [p["id"] for p in buyer.client.get("/v1/marketplace/purchases?offset=2").json()] == ids[
        2:
    ]
    assert [
        p["id"] for p in seller.client.get("/v1/marketplace/sales?limit=1&offset=1").json()
    ] == ids[1:2]


@pytest.mark.parametrize("path", ["purchases", "sales"])
@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-3", "offset=abc"])
def test_out_of_range_paging_is_422(buyer, path, query):
    response = buyer.client.get(f"/v1/marketplace/{path}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize("path", ["purchases", "sales"])
def test_lists_need_credentials(anon, path):
    assert anon.get(f"/v1/marketplace/{path}").status_code == 401
