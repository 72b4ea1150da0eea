"""initiate_purchase: a pending Purchase and a Stripe Checkout Session (fake Stripe)."""

from __future__ import annotations

import uuid

import pytest

from marketplace.models import Listing, Purchase, PurchaseStatus


def url(listing_id, query: str = "") -> str:  # noqa: ANN001
    return f"/v1/marketplace/listings/{listing_id}/purchase{query}"


def test_a_buyer_starts_checkout_for_a_priced_license(buyer, listing, fake_stripe):
    response = buyer.client.post(url(listing.pk), {"license_type": "commercial"}, format="json")
    assert response.status_code == 200
    body = response.json()
    purchase = Purchase.objects.get(pk=body["purchase_id"])
    assert purchase.status == PurchaseStatus.PENDING
    assert purchase.buyer_account == buyer.account
    assert (purchase.price_cents, purchase.currency, purchase.license_type) == (
        5000,
        "usd",
        "commercial",
    )
    session = fake_stripe.sessions[purchase.stripe_checkout_session_id]
    assert body["checkout_url"] == session["url"]
    sent = fake_stripe.requests[-1]["params"]
    assert sent["mode"] == "payment"
    assert sent["client_reference_id"] == str(purchase.pk)
    assert sent["metadata"]["purchase_id"] == str(purchase.pk)
    assert sent["payment_intent_data"]["metadata"]["purchase_id"] == str(purchase.pk)
    item = sent["line_items"][0]
    assert item["quantity"] == "1"
    assert item["price_data"]["currency"] == "usd"
    assert item["price_data"]["unit_amount"] == "5000"
    assert "Sunset over Lake Zurich" in item["price_data"]["product_data"]["name"]
    # By default Checkout returns to our own pages.
    assert sent["success_url"].startswith("http://") and str(purchase.pk) in sent["success_url"]
    assert f"/marketplace/listings/{listing.pk}/" in sent["cancel_url"]
    assert sent["customer_email"] == buyer.user.email
    assert fake_stripe.errors == []


def test_success_and_cancel_urls_come_from_the_query(buyer, listing, fake_stripe):
    query = "?success_url=https://app.example/ok%3Fs%3D%7BCHECKOUT_SESSION_ID%7D&cancel_url=https://app.example/no"
    response = buyer.client.post(
        url(listing.pk, query), {"license_type": "personal"}, format="json"
    )
    assert response.status_code == 200
    sent = fake_stripe.requests[-1]["params"]
    assert sent["success_url"] == "https://app.example/ok?s={CHECKOUT_SESSION_ID}"
    assert sent["cancel_url"] == "https://app.example/no"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "/relative", "ftp://x.example/"])
def test_a_non_web_return_url_is_422(buyer, listing, fake_stripe, bad):
    response = buyer.client.post(
        url(listing.pk, f"?success_url={bad}"), {"license_type": "personal"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "success_url"]


def test_zero_decimal_currencies_are_charged_in_whole_units(buyer, listing, fake_stripe):
    Listing.objects.filter(pk=listing.pk).update(currency="jpy", price_personal_cents=1500)
    buyer.client.post(url(listing.pk), {"license_type": "personal"}, format="json")
    data = fake_stripe.requests[-1]["params"]["line_items"][0]["price_data"]
    assert (data["currency"], data["unit_amount"]) == ("jpy", "1500")


def test_a_license_without_a_price_is_400(buyer, listing, fake_stripe):
    response = buyer.client.post(url(listing.pk), {"license_type": "editorial"}, format="json")
    assert response.status_code == 400
    assert "no price" in response.json()["detail"]
    assert not Purchase.objects.exists()
    assert fake_stripe.requests == []


def test_a_seller_cannot_buy_their_own_listing(seller, listing, fake_stripe):
    response = seller.client.post(url(listing.pk), {"license_type": "personal"}, format="json")
    assert response.status_code == 400
    assert "your own listing" in response.json()["detail"]
    assert not Purchase.objects.exists()


def test_a_deactivated_listing_cannot_be_bought(seller, buyer, listing, fake_stripe):
    seller.client.delete(f"/v1/marketplace/listings/{listing.pk}")
    response = buyer.client.post(url(listing.pk), {"license_type": "personal"}, format="json")
    assert response.status_code == 400
    assert "no longer for sale" in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"license_type": "exclusive"}])
def test_a_missing_or_unknown_license_type_is_422(buyer, listing, fake_stripe, body):
    response = buyer.client.post(url(listing.pk), body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "license_type"]


def test_an_unknown_listing_is_404_and_a_malformed_id_422(buyer, fake_stripe):
    assert (
        buyer.client.post(
            url(uuid.uuid4()), {"license_type": "personal"}, format="json"
        ).status_code
        == 404
    )
    assert (
        buyer.client.post(url("nope"), {"license_type": "personal"}, format="json").status_code
        == 422
    )


def test_buying_needs_credentials(anon, listing, fake_stripe):
    assert (
        anon.post(url(listing.pk), {"license_type": "personal"}, format="json").status_code == 401
    )


def test_without_stripe_keys_purchases_answer_503_and_nothing_is_kept(buyer, listing, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = buyer.client.post(url(listing.pk), {"license_type": "personal"}, format="json")
    assert response.status_code == 503
    assert "payments are not configured" in response.json()["detail"].lower()
    assert not Purchase.objects.exists()
    # The rest of the marketplace keeps working.
    assert buyer.client.get(f"/v1/marketplace/listings/{listing.pk}").status_code == 200
    assert buyer.client.get("/v1/marketplace/purchases").status_code == 200


def test_a_stripe_outage_is_503_and_leaves_no_pending_purchase(buyer, listing, fake_stripe):
    fake_stripe.fail_next = 10
    response = buyer.client.post(url(listing.pk), {"license_type": "personal"}, format="json")
    assert response.status_code == 503
    assert not Purchase.objects.exists()


def test_a_price_change_after_checkout_starts_does_not_change_the_purchase(buyer, listing, buy):
    body = buy(listing, "personal")
    Listing.objects.filter(pk=listing.pk).update(price_personal_cents=99)
    assert Purchase.objects.get(pk=body["purchase_id"]).price_cents == 1000
