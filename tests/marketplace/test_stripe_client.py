from __future__ import annotations

import pytest
import stripe

from marketplace import stripe_client
from marketplace.models import Purchase
from marketplace.selectors import verification_has_paid_sales
from tests.marketplace.conftest import completed_event


def test_without_an_explicit_base_the_librarys_api_base_is_used(
    buyer, listing, fake_stripe, settings, monkeypatch
):
    settings.STRIPE_API_BASE = ""
    monkeypatch.setattr(stripe, "api_base", fake_stripe.url)
    response = buyer.client.post(
        f"/v1/marketplace/listings/{listing.pk}/purchase",
        {"license_type": "personal"},
        format="json",
    )
    assert response.status_code == 200
    assert fake_stripe.requests[-1]["path"] == "/v1/checkout/sessions"


def test_a_wrong_secret_key_is_a_503_not_a_crash(buyer, listing, fake_stripe, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"
    response = buyer.client.post(
        f"/v1/marketplace/listings/{listing.pk}/purchase",
        {"license_type": "personal"},
        format="json",
    )
    assert response.status_code == 503
    assert not Purchase.objects.exists()


def test_the_client_refuses_to_work_without_a_key(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(stripe_client.PaymentsNotConfigured):
        stripe_client.stripe_client()


def test_a_verification_with_paid_sales_is_reported(listing, buy, deliver):
    assert not verification_has_paid_sales(verification=listing.verification)
    purchase = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    assert not verification_has_paid_sales(verification=listing.verification)
    deliver(completed_event(purchase))
    assert verification_has_paid_sales(verification=listing.verification)
