"""The Stripe webhook accepts only deliveries signed now with our secret."""

from __future__ import annotations

import time

import pytest

from marketplace.models import ProcessedStripeEvent, Purchase, PurchaseStatus
from tests.fakes.stripe_server import sign
from tests.marketplace.conftest import WEBHOOK, completed_event


@pytest.fixture
def pending(buy, listing) -> Purchase:  # noqa: ANN001
    return Purchase.objects.get(pk=buy(listing)["purchase_id"])


def assert_nothing_changed(purchase: Purchase) -> None:
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.PENDING
    assert purchase.download_expires_at is None
    assert purchase.listing.total_sales == 0
    assert not ProcessedStripeEvent.objects.exists()


def test_a_correctly_signed_event_is_accepted(deliver, pending):
    response = deliver(completed_event(pending))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == PurchaseStatus.PAID


def test_a_forged_signature_is_400_and_changes_nothing(deliver, pending):
    body = completed_event(pending)
    response = deliver(body, signature=sign(body, secret="whsec_someone_else"))
    assert response.status_code == 400
    assert "signature" in response.json()["detail"].lower()
    assert_nothing_changed(pending)


def test_a_tampered_body_is_400_and_changes_nothing(deliver, pending):
    body = completed_event(pending)
    signature = sign(body)
    tampered = body.replace('"amount_total": 1000', '"amount_total": 1')
    assert tampered != body
    assert deliver(tampered, signature=signature).status_code == 400
    assert_nothing_changed(pending)


def test_a_stale_timestamp_is_400_and_changes_nothing(deliver, pending):
    body = completed_event(pending)
    response = deliver(body, signature=sign(body, timestamp=int(time.time()) - 301))
    assert response.status_code == 400
    assert_nothing_changed(pending)


@pytest.mark.parametrize("ahead", [60, 3600])
def test_a_future_timestamp_is_400_and_changes_nothing(deliver, pending, ahead):
    body = completed_event(pending)
    response = deliver(body, signature=sign(body, timestamp=int(time.time()) + ahead))
    assert response.status_code == 400
    assert "future" in response.json()["detail"]
    assert_nothing_changed(pending)


@pytest.mark.parametrize("signature", ["", "garbage", "t=abc,v1=00", "v1=deadbeef"])
def test_a_missing_or_malformed_signature_header_is_400(deliver, pending, signature):
    assert deliver(completed_event(pending), signature=signature).status_code == 400
    assert_nothing_changed(pending)


def test_a_signed_body_that_is_not_json_is_400(deliver, db):
    assert deliver("not json").status_code == 400


def test_without_a_webhook_secret_deliveries_are_refused_with_503(deliver, pending, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert deliver(completed_event(pending)).status_code == 503
    assert_nothing_changed(pending)


def test_the_webhook_needs_no_api_key_and_no_csrf_token(pending, webhook_secret):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = completed_event(pending)
    response = client.post(
        WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    assert response.status_code == 200


def test_only_post_is_allowed(client, db):
    assert client.get(WEBHOOK).status_code == 405
