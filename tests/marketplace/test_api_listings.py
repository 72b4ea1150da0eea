"""get_seller_listings, get_listing (public), update_listing, deactivate_listing."""

from __future__ import annotations

import uuid

import pytest

from marketplace.models import Listing
from tests.marketplace.conftest import LISTING_BODY, make_verification

URL = "/v1/marketplace/listings"


def make_listings(persona, n):  # noqa: ANN001, ANN201
    v = make_verification(persona.account)
    return [
        Listing.objects.create(account=persona.account, verification=v, title=f"Photo {i}")
        for i in range(n)
    ]


def test_the_seller_lists_only_their_own_listings_as_a_plain_array(seller, listing, buyer):
    make_listings(buyer, 2)
    response = seller.client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [item["id"] for item in body] == [str(listing.pk)]


def test_limit_and_offset_page_through_listings_newest_first(seller):
    made = make_listings(seller, 5)
    newest_first = [str(x.pk) for x in reversed(made)]
    first = seller.client.get(f"{URL}?limit=2").json()
    second = seller.client.get(f"{URL}?limit=2&offset=2").json()
    rest = seller.client.get(f"{URL}?offset=4&limit=100").json()
    assert [x["id"] for x in first + second + rest] == newest_first


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=101", "limit"), ("offset=-1", "offset"), ("limit=x", "limit")],
)
def test_out_of_range_paging_is_422(seller, query, field):
    response = seller.client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_listing_without_credentials_is_401(anon):
    assert anon.get(URL).status_code == 401


def test_anyone_can_read_a_listing_by_its_link(anon, listing):
    response = anon.get(f"{URL}/{listing.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(listing.pk)


def test_a_listing_is_readable_with_an_api_key_too(buyer, listing):
    assert buyer.client.get(f"{URL}/{listing.pk}").status_code == 200


def test_an_unknown_listing_is_404_and_a_malformed_id_422(anon, db):
    assert anon.get(f"{URL}/{uuid.uuid4()}").status_code == 404
    response = anon.get(f"{URL}/nope")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "listing_id"]


def test_the_seller_updates_a_listing(seller, listing):
    body = {**LISTING_BODY, "title": "New title", "currency": "jpy", "price_editorial_cents": 3000}
    response = seller.client.put(f"{URL}/{listing.pk}", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "New title"
    assert data["currency"] == "jpy"
    assert data["price_editorial_cents"] == 3000
    listing.refresh_from_db()
    assert listing.title == "New title"


def test_an_update_can_withdraw_a_license_by_setting_its_price_to_null(seller, listing):
    body = {"title": listing.title, "price_commercial_cents": None}
    response = seller.client.put(f"{URL}/{listing.pk}", body, format="json")
    assert response.status_code == 200
    assert response.json()["price_commercial_cents"] is None
    assert response.json()["price_personal_cents"] == 1000  # untouched when omitted


def test_an_update_with_bad_fields_is_422(seller, listing):
    response = seller.client.put(
        f"{URL}/{listing.pk}", {"title": "x", "currency": "eu"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "currency"]
    response = seller.client.put(f"{URL}/{listing.pk}", {"description": "no title"}, format="json")
    assert response.status_code == 422


def test_another_accounts_listing_is_404_for_update_and_deactivate(buyer, listing):
    assert buyer.client.put(f"{URL}/{listing.pk}", LISTING_BODY, format="json").status_code == 404
    assert buyer.client.delete(f"{URL}/{listing.pk}").status_code == 404
    listing.refresh_from_db()
    assert listing.is_active and listing.title == LISTING_BODY["title"]


def test_update_and_deactivate_need_credentials(anon, listing):
    assert anon.put(f"{URL}/{listing.pk}", LISTING_BODY, format="json").status_code == 401
    assert anon.delete(f"{URL}/{listing.pk}").status_code == 401


def test_deactivating_keeps_the_listing_readable_but_off_sale(seller, listing, anon):
    response = seller.client.delete(f"{URL}/{listing.pk}")
    assert response.status_code == 204
    assert response.content == b""
    body = anon.get(f"{URL}/{listing.pk}").json()
    assert body["is_active"] is False
    assert Listing.objects.filter(pk=listing.pk).exists()
    assert seller.client.get(URL).json()[0]["is_active"] is False


def test_a_deactivated_listing_can_be_neither_edited_nor_deactivated_again(seller, listing):
    seller.client.delete(f"{URL}/{listing.pk}")
    response = seller.client.put(f"{URL}/{listing.pk}", LISTING_BODY, format="json")
    assert response.status_code == 403
    assert "deactivated" in response.json()["detail"]
    response = seller.client.delete(f"{URL}/{listing.pk}")
    assert response.status_code == 403
    assert "already deactivated" in response.json()["detail"]


def test_malformed_ids_on_seller_endpoints_are_422(seller):
    assert seller.client.put(f"{URL}/x", LISTING_BODY, format="json").status_code == 422
    assert seller.client.delete(f"{URL}/x").status_code == 422
