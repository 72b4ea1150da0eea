"""Marketplace web pages: the listing a buyer receives, seller and buyer pages, upgrades."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from marketplace.models import Listing, Purchase
from tests.fakes.stripe_server import PRICE_BASIC
from tests.marketplace.conftest import completed_event, make_verification


def browser(persona=None) -> Client:  # noqa: ANN001
    client = Client()
    if persona is not None:
        client.force_login(persona.user)
    return client


def page(listing) -> str:  # noqa: ANN001
    return f"/marketplace/listings/{listing.pk}/"


def test_anyone_with_the_link_sees_the_listing_summary_and_prices(listing, db):
    response = browser().get(page(listing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sunset over Lake Zurich" in html
    assert "Authentic" in html and "Nikon Z 9" in html
    assert listing.verification.short_code in html
    assert "10.00 USD" in html and "50.00 USD" in html
    assert "Not offered" in html  # editorial and extended have no price
    assert "Personal use only, no redistribution" in html
    assert f"/marketplace/listings/{listing.pk}/preview.jpg" in html
    assert "Log in to buy" in html
    assert "css/marketplace.css" in html


def test_zero_decimal_prices_are_shown_without_decimals(listing, db):
    Listing.objects.filter(pk=listing.pk).update(currency="jpy", price_personal_cents=1500)
    assert "1,500 JPY" in browser().get(page(listing)).content.decode()


def test_unknown_and_malformed_listing_pages_are_404(db):
    assert browser().get(f"/marketplace/listings/{uuid.uuid4()}/").status_code == 404
    assert browser().get("/marketplace/listings/nope/").status_code == 404


def test_the_preview_is_the_thumbnail_with_the_verification_strip(listing, db):
    response = browser().get(f"/marketplace/listings/{listing.pk}/preview.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    thumb = Image.open(listing.verification.thumbnail.open("rb"))
    # The strip is drawn below the thumbnail; never the full-size original.
    assert image.height > thumb.height
    assert image.width < 1000


def test_without_a_thumbnail_there_is_no_preview(seller, db):
    v = make_verification(seller.account, thumbnail=False)
    listing = Listing.objects.create(account=seller.account, verification=v, title="No thumb")
    assert browser().get(f"/marketplace/listings/{listing.pk}/preview.jpg").status_code == 404
    assert "No preview available" in browser().get(page(listing)).content.decode()


def test_a_logged_in_buyer_clicks_buy_and_is_sent_to_checkout(buyer, listing, fake_stripe):
    client = browser(buyer)
    html = client.get(page(listing)).content.decode()
    assert "Buy personal license" in html and "Buy editorial license" not in html
    response = client.post(f"/marketplace/listings/{listing.pk}/buy", {"license_type": "personal"})
    assert response.status_code == 303
    purchase = Purchase.objects.get(buyer_account=buyer.account)
    assert response["Location"] == fake_stripe.sessions[purchase.stripe_checkout_session_id]["url"]


def test_buying_from_the_page_needs_a_login(listing, db):
    response = browser().post(
        f"/marketplace/listings/{listing.pk}/buy", {"license_type": "personal"}
    )
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_seller_sees_no_buy_button_and_an_error_if_they_try(seller, listing, fake_stripe):
    client = browser(seller)
    assert "This is your listing" in client.get(page(listing)).content.decode()
    response = client.post(
        f"/marketplace/listings/{listing.pk}/buy", {"license_type": "personal"}, follow=True
    )
    assert "You cannot buy your own listing." in response.content.decode()
    assert not Purchase.objects.exists()


def test_without_stripe_keys_the_page_says_so_and_buying_explains(buyer, listing, settings):
    settings.STRIPE_SECRET_KEY = ""
    client = browser(buyer)
    assert "Payments are not configured" in client.get(page(listing)).content.decode()
    response = client.post(
        f"/marketplace/listings/{listing.pk}/buy", {"license_type": "personal"}, follow=True
    )
    assert "payments are not configured" in response.content.decode().lower()


def test_the_purchase_page_shows_the_webhook_verdict_and_the_download(buyer, listing, buy, deliver):
    purchase = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    client = browser(buyer)
    html = client.get(f"/marketplace/purchases/{purchase.pk}/").content.decode()
    assert "waiting for the payment provider" in html  # the success page never decides
    assert client.get(f"/marketplace/purchases/{purchase.pk}/download").status_code == 402
    deliver(completed_event(purchase))
    html = client.get(f"/marketplace/purchases/{purchase.pk}/").content.decode()
    assert "Download the original" in html
    response = client.get(f"/marketplace/purchases/{purchase.pk}/download")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    Purchase.objects.filter(pk=purchase.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(f"/marketplace/purchases/{purchase.pk}/download").status_code == 410


def test_another_accounts_purchase_page_is_404(carol, listing, buy):
    purchase_id = buy(listing)["purchase_id"]
    assert browser(carol).get(f"/marketplace/purchases/{purchase_id}/").status_code == 404
    assert browser(carol).get(f"/marketplace/purchases/{purchase_id}/download").status_code == 404


def test_the_buyers_purchases_page_lists_downloads(buyer, listing, buy, deliver):
    purchase = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    deliver(completed_event(purchase))
    html = browser(buyer).get("/marketplace/purchases/").content.decode()
    assert "Sunset over Lake Zurich" in html
    assert f"/marketplace/purchases/{purchase.pk}/download" in html


def test_the_sellers_listings_and_sales_pages(seller, buyer, listing, buy, deliver):
    purchase = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    deliver(completed_event(purchase))
    client = browser(seller)
    html = client.get("/marketplace/listings/").content.decode()
    assert "Sunset over Lake Zurich" in html and "10.00 USD" in html
    assert page(listing) in html
    html = client.get("/marketplace/sales/").content.decode()
    assert "Personal" in html and "Paid" in html
    assert "Sunset" not in browser(buyer).get("/marketplace/sales/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/marketplace/listings/",
        "/marketplace/sales/",
        "/marketplace/purchases/",
        "/marketplace/upgrade/",
    ],
)
def test_account_pages_need_a_login(path, db):
    response = browser().get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_upgrade_page_starts_a_subscription_checkout(alice, fake_stripe):
    client = browser(alice)
    html = client.get("/marketplace/upgrade/").content.decode()
    assert "Upgrade to Basic" in html and "Upgrade to Professional" in html
    response = client.post("/marketplace/upgrade/", {"plan": "basic"})
    assert response.status_code == 303
    sent = fake_stripe.requests[-1]["params"]
    assert sent["mode"] == "subscription"
    assert sent["line_items"][0]["price"] == PRICE_BASIC
    assert sent["client_reference_id"] == str(alice.account.pk)
    assert sent["subscription_data"]["metadata"]["account_id"] == str(alice.account.pk)
    assert response["Location"].startswith(fake_stripe.url + "/pay/")
    # Paying sends the subscription webhook, and only that changes the plan.
    assert alice.account.plan == "free"


def test_upgrading_to_a_plan_not_sold_online_is_refused(alice, fake_stripe):
    response = browser(alice).post("/marketplace/upgrade/", {"plan": "enterprise"}, follow=True)
    assert "Only the Basic and Professional plans" in response.content.decode()
    assert fake_stripe.requests == []


def test_without_stripe_keys_upgrades_explain_payments_are_off(alice, settings):
    settings.STRIPE_SECRET_KEY = ""
    client = browser(alice)
    assert "Payments are not configured" in client.get("/marketplace/upgrade/").content.decode()
    response = client.post("/marketplace/upgrade/", {"plan": "basic"}, follow=True)
    assert "payments are not configured" in response.content.decode().lower()


def test_the_upgrade_page_shows_this_months_overage(alice, settings):
    from lumethic.models import MonthlyUsage, Plan
    from lumethic.services import current_month

    alice.account.plan = Plan.BASIC
    alice.account.save()
    MonthlyUsage.objects.create(
        account=alice.account, month=current_month(), count=53, overage_count=3
    )
    html = browser(alice).get("/marketplace/upgrade/").content.decode()
    assert "3 above the plan" in html and "0.75 EUR" in html
