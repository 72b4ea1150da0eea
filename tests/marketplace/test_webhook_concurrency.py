"""The same checkout.session.completed delivered 20 times, 10 of them at once,
fulfils exactly once. Real transactions (no test wrapper), so the database's
own locking and unique constraint decide; the scale-out suite runs this on
PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from apikeys.services import api_key_create
from lumethic.models import Plan
from lumethic.services import account_create
from marketplace.models import Listing, ProcessedStripeEvent, Purchase, PurchaseStatus
from tests.fakes.stripe_server import sign
from tests.marketplace.conftest import WEBHOOK, completed_event, make_verification

pytestmark = [pytest.mark.scale, pytest.mark.django_db(transaction=True)]


def post(body: str) -> int:
    response = Client().post(
        WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    return response.status_code


@pytest.fixture
def pending_purchase(webhook_secret) -> Purchase:  # noqa: ANN001
    seller, _user = account_create(email="s@example.com", plan=Plan.BASIC)
    buyer, buyer_user = account_create(email="b@example.com")
    api_key_create(account=buyer, user=buyer_user, description="t")
    listing = Listing.objects.create(
        account=seller,
        verification=make_verification(seller),
        title="Concurrent",
        currency="eur",
        price_personal_cents=700,
    )
    return Purchase.objects.create(
        listing=listing,
        buyer_account=buyer,
        license_type="personal",
        currency="eur",
        price_cents=700,
        stripe_checkout_session_id="cs_concurrent",
    )


def test_twenty_deliveries_ten_concurrent_fulfil_exactly_once(pending_purchase):
    body = completed_event(pending_purchase, event_id="evt_concurrent")
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(10)

    def worker() -> None:
        try:
            start.wait()
            status = post(body)
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses.extend(post(body) for _ in range(10))

    assert statuses == [200] * 20
    purchase = Purchase.objects.get(pk=pending_purchase.pk)
    assert purchase.status == PurchaseStatus.PAID
    listing = Listing.objects.get(pk=purchase.listing_id)
    assert (listing.total_sales, listing.total_revenue_cents) == (1, 700)
    assert ProcessedStripeEvent.objects.filter(event_id="evt_concurrent").count() == 1


def test_distinct_events_for_one_session_delivered_concurrently_count_one_sale(pending_purchase):
    # Stripe may resend a completion as a new event id; the status guard holds then too.
    bodies = [completed_event(pending_purchase, event_id=f"evt_{i}") for i in range(8)]
    statuses: list[int] = []
    start = threading.Barrier(len(bodies))

    def worker(body: str) -> None:
        try:
            start.wait()
            statuses.append(post(body))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [200] * len(bodies)
    listing = Listing.objects.get(pk=pending_purchase.listing_id)
    assert (listing.total_sales, listing.total_revenue_cents) == (1, 700)
    assert connection.vendor in ("sqlite", "postgresql")
