"""Pending purchases whose Checkout Session lapsed without an event are expired by the
hourly sweep; a payment that still arrives later fulfils them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_q.models import Schedule

from marketplace.models import Purchase, PurchaseStatus
from marketplace.schedules import EXPIRY_NAME
from marketplace.services import purchases_expire_stale
from marketplace.tasks import expire_stale_purchases
from tests.marketplace.conftest import completed_event


def started(buy, listing, hours_ago: float) -> Purchase:  # noqa: ANN001
    purchase = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    then = timezone.now() - dt.timedelta(hours=hours_ago)
    Purchase.objects.filter(pk=purchase.pk).update(created_at=then)
    return purchase


def status(purchase: Purchase) -> str:
    return Purchase.objects.get(pk=purchase.pk).status


def test_a_pending_purchase_older_than_a_checkout_session_becomes_expired(buy, listing):
    old = started(buy, listing, hours_ago=26)
    fresh = started(buy, listing, hours_ago=2)
    assert expire_stale_purchases() == 1
    assert status(old) == PurchaseStatus.EXPIRED
    assert status(fresh) == PurchaseStatus.PENDING


def test_the_sweep_leaves_paid_and_refunded_purchases_alone(buy, listing, deliver):
    paid = started(buy, listing, hours_ago=0)
    deliver(completed_event(paid))
    Purchase.objects.filter(pk=paid.pk).update(created_at=timezone.now() - dt.timedelta(days=9))
    assert purchases_expire_stale() == 0
    assert status(paid) == PurchaseStatus.PAID


def test_a_late_payment_still_fulfils_a_swept_purchase(buy, listing, deliver):
    purchase = started(buy, listing, hours_ago=30)
    purchases_expire_stale()
    assert deliver(completed_event(purchase)).json()["outcome"] == "processed"
    assert status(purchase) == PurchaseStatus.PAID


def test_the_sweep_is_scheduled_hourly_after_migrations(db):  # noqa: ANN001
    schedule = Schedule.objects.get(name=EXPIRY_NAME)
    assert schedule.func == "marketplace.tasks.expire_stale_purchases"
    assert schedule.schedule_type == Schedule.HOURLY
