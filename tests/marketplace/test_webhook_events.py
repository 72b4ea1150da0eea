"""What each Stripe event does, and that duplicates and late events are harmless."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from lumethic.models import Plan
from marketplace.models import Listing, ProcessedStripeEvent, Purchase, PurchaseStatus
from tests.fakes.stripe_server import PRICE_BASIC, PRICE_PROFESSIONAL, event
from tests.marketplace.conftest import completed_event, session_completed


@pytest.fixture
def pending(buy, listing) -> Purchase:  # noqa: ANN001
    return Purchase.objects.get(pk=buy(listing)["purchase_id"])


def reload(obj):  # noqa: ANN001, ANN201
    obj.refresh_from_db()
    return obj


def test_a_paid_checkout_marks_the_purchase_paid_and_counts_the_sale(deliver, pending, settings):
    settings.DOWNLOAD_WINDOW_DAYS = 3
    before = timezone.now()
    assert deliver(completed_event(pending)).json()["outcome"] == "processed"
    purchase = reload(pending)
    assert purchase.status == PurchaseStatus.PAID
    assert purchase.paid_at >= before
    window = purchase.download_expires_at - purchase.paid_at
    assert window == dt.timedelta(days=3)
    assert purchase.stripe_payment_intent_id.startswith("pi_test_")
    listing = Listing.objects.get(pk=pending.listing_id)
    assert (listing.total_sales, listing.total_revenue_cents) == (1, 1000)


def test_the_same_event_twice_is_applied_once(deliver, pending):
    body = completed_event(pending, event_id="evt_same")
    assert deliver(body).json()["outcome"] == "processed"
    assert deliver(body).json()["outcome"] == "duplicate"
    assert ProcessedStripeEvent.objects.filter(event_id="evt_same").count() == 1
    assert Listing.objects.get(pk=pending.listing_id).total_sales == 1


def test_a_second_completed_event_for_the_same_session_does_not_count_twice(deliver, pending):
    deliver(completed_event(pending))
    first = reload(pending).download_expires_at
    assert deliver(completed_event(pending)).status_code == 200
    assert Listing.objects.get(pk=pending.listing_id).total_sales == 1
    assert reload(pending).download_expires_at == first


def test_an_unpaid_completed_session_waits_for_the_async_payment(deliver, pending):
    deliver(completed_event(pending, payment_status="unpaid"))
    assert reload(pending).status == PurchaseStatus.PENDING
    deliver(event("checkout.session.async_payment_succeeded", session_completed(pending)))
    assert reload(pending).status == PurchaseStatus.PAID


def test_a_failed_async_payment_marks_the_purchase_failed(deliver, pending):
    deliver(
        event(
            "checkout.session.async_payment_failed",
            session_completed(pending, payment_status="unpaid"),
        )
    )
    assert reload(pending).status == PurchaseStatus.FAILED


def test_an_amount_that_does_not_match_the_price_is_not_fulfilled(deliver, pending):
    deliver(completed_event(pending, amount_total=1))
    assert reload(pending).status == PurchaseStatus.PENDING
    deliver(completed_event(pending, currency="eur"))
    assert reload(pending).status == PurchaseStatus.PENDING


def test_an_expired_session_marks_a_pending_purchase_expired(deliver, pending):
    deliver(
        event(
            "checkout.session.expired",
            session_completed(pending, status="expired", payment_status="unpaid"),
        )
    )
    assert reload(pending).status == PurchaseStatus.EXPIRED


def test_an_expired_event_arriving_after_completed_does_not_undo_the_payment(deliver, pending):
    deliver(completed_event(pending))
    deliver(
        event(
            "checkout.session.expired",
            session_completed(pending, status="expired", payment_status="unpaid"),
        )
    )
    purchase = reload(pending)
    assert purchase.status == PurchaseStatus.PAID
    assert purchase.download_expires_at is not None
    assert Listing.objects.get(pk=pending.listing_id).total_sales == 1


def charge(purchase, **overrides):  # noqa: ANN001, ANN201
    obj = {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": "pi_test_" + str(purchase.pk).replace("-", "")[:12],
        "amount": purchase.price_cents,
        "amount_refunded": purchase.price_cents,
        "refunded": True,
        "metadata": {},
    }
    obj.update(overrides)
    return obj


def test_a_full_refund_marks_the_purchase_refunded_and_gives_the_sale_back(deliver, pending):
    deliver(completed_event(pending))
    deliver(event("charge.refunded", charge(pending)))
    purchase = reload(pending)
    assert purchase.status == PurchaseStatus.REFUNDED
    assert purchase.refunded_at is not None
    listing = Listing.objects.get(pk=pending.listing_id)
    assert (listing.total_sales, listing.total_revenue_cents) == (0, 0)


def test_a_partial_refund_keeps_the_license(deliver, pending):
    deliver(completed_event(pending))
    deliver(event("charge.refunded", charge(pending, refunded=False, amount_refunded=100)))
    assert reload(pending).status == PurchaseStatus.PAID


def test_a_refund_overtaking_its_payment_is_not_lost(deliver, pending):
    refund = charge(pending, payment_intent="pi_unknown", metadata={"purchase_id": str(pending.pk)})
    deliver(event("charge.refunded", refund))
    deliver(completed_event(pending))
    assert reload(pending).status == PurchaseStatus.REFUNDED
    assert Listing.objects.get(pk=pending.listing_id).total_sales == 0


def test_events_for_unknown_or_malformed_purchases_are_acknowledged_and_ignored(deliver, pending):
    for ref in (str(uuid.uuid4()), "not-a-uuid"):
        obj = session_completed(pending, client_reference_id=ref, metadata={"purchase_id": ref})
        assert deliver(event("checkout.session.completed", obj)).status_code == 200
    assert reload(pending).status == PurchaseStatus.PENDING


def test_event_types_we_do_not_handle_are_acknowledged(deliver, db):
    response = deliver(event("invoice.paid", {"id": "in_1", "object": "invoice"}))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"


# --- Subscriptions change the account's plan -----------------------------------------------


def subscription(account, price: str, status: str = "active", sub_id: str = "sub_1") -> dict:  # noqa: ANN001
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": "cus_1",
        "status": status,
        "metadata": {"account_id": str(account.pk)},
        "items": {"object": "list", "data": [{"price": {"id": price}}]},
    }


def test_a_new_basic_subscription_upgrades_the_account(deliver, alice):
    deliver(event("customer.subscription.created", subscription(alice.account, PRICE_BASIC)))
    account = reload(alice.account)
    assert account.plan == Plan.BASIC
    assert (account.stripe_customer_id, account.stripe_subscription_id) == ("cus_1", "sub_1")


def test_an_updated_subscription_moves_to_professional(deliver, alice):
    deliver(event("customer.subscription.created", subscription(alice.account, PRICE_BASIC)))
    deliver(event("customer.subscription.updated", subscription(alice.account, PRICE_PROFESSIONAL)))
    assert reload(alice.account).plan == Plan.PROFESSIONAL


def test_a_deleted_subscription_returns_the_account_to_free(deliver, alice):
    deliver(event("customer.subscription.created", subscription(alice.account, PRICE_BASIC)))
    deliver(
        event("customer.subscription.deleted", subscription(alice.account, PRICE_BASIC, "canceled"))
    )
    account = reload(alice.account)
    assert account.plan == Plan.FREE
    assert account.stripe_subscription_id == ""


def test_a_subscription_is_found_by_customer_when_metadata_is_missing(deliver, alice):
    alice.account.stripe_customer_id = "cus_1"
    alice.account.save()
    sub = subscription(alice.account, PRICE_PROFESSIONAL)
    sub["metadata"] = {}
    deliver(event("customer.subscription.created", sub))
    assert reload(alice.account).plan == Plan.PROFESSIONAL


def test_an_unpaid_subscription_drops_to_free(deliver, alice):
    deliver(event("customer.subscription.created", subscription(alice.account, PRICE_BASIC)))
    deliver(
        event("customer.subscription.updated", subscription(alice.account, PRICE_BASIC, "unpaid"))
    )
    assert reload(alice.account).plan == Plan.FREE


def test_a_late_update_after_deletion_does_not_revive_the_plan(deliver, alice):
    now = int(timezone.now().timestamp())
    deliver(
        event(
            "customer.subscription.deleted",
            subscription(alice.account, PRICE_BASIC, "canceled"),
            created=now,
        )
    )
    deliver(
        event(
            "customer.subscription.updated",
            subscription(alice.account, PRICE_BASIC),
            created=now - 10,
        )
    )
    assert reload(alice.account).plan == Plan.FREE


def test_an_older_update_does_not_override_a_newer_one(deliver, alice):
    now = int(timezone.now().timestamp())
    deliver(
        event(
            "customer.subscription.updated",
            subscription(alice.account, PRICE_PROFESSIONAL),
            created=now,
        )
    )
    deliver(
        event(
            "customer.subscription.updated",
            subscription(alice.account, PRICE_BASIC),
            created=now - 60,
        )
    )
    assert reload(alice.account).plan == Plan.PROFESSIONAL


def test_ending_an_old_subscription_does_not_downgrade_the_current_one(deliver, alice):
    deliver(
        event(
            "customer.subscription.created",
            subscription(alice.account, PRICE_PROFESSIONAL, sub_id="sub_new"),
        )
    )
    deliver(
        event(
            "customer.subscription.deleted",
            subscription(alice.account, PRICE_BASIC, "canceled", sub_id="sub_old"),
        )
    )
    assert reload(alice.account).plan == Plan.PROFESSIONAL


def test_an_unknown_price_leaves_the_plan_alone(deliver, alice):
    deliver(event("customer.subscription.created", subscription(alice.account, "price_other")))
    assert reload(alice.account).plan == Plan.FREE


def test_a_subscription_checkout_remembers_the_stripe_customer(deliver, alice):
    session = {
        "id": "cs_sub",
        "object": "checkout.session",
        "mode": "subscription",
        "payment_status": "paid",
        "customer": "cus_9",
        "client_reference_id": str(alice.account.pk),
        "metadata": {"account_id": str(alice.account.pk), "plan": "basic"},
    }
    deliver(event("checkout.session.completed", session))
    assert reload(alice.account).stripe_customer_id == "cus_9"
