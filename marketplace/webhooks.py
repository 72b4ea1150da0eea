"""POST /v1/marketplace/webhooks/stripe: Stripe's signed events, each applied once.

Fulfilment never trusts the success page: only this view marks a purchase
paid. Exactly-once comes from the database, not from Python-side checks: the
event's id is inserted into a unique column in the same transaction as its
effect, so of N concurrent deliveries one commits and the others fail on the
constraint (PostgreSQL) or wait for the write lock and then fail (SQLite),
and the effects themselves are conditional UPDATEs on the purchase's status.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable

import stripe
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lumethic.models import Account
from marketplace import services, stripe_client, subscriptions
from marketplace.models import ProcessedStripeEvent, PurchaseStatus
from marketplace.selectors import as_uuid

logger = logging.getLogger(__name__)

# Clocks drift a little; a signature dated further ahead than this was not made now.
FUTURE_SKEW_SECONDS = 5
LOCK_RETRIES = 12


class InvalidDelivery(Exception):
    pass


def _signed_at(header: str) -> int:
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                return int(value)
            except ValueError:
                break
    raise InvalidDelivery("The Stripe-Signature header has no valid timestamp.")


def verify_delivery(*, payload: bytes, signature: str) -> dict:
    """The event as a plain dict, or InvalidDelivery (forged, tampered, stale or future)."""
    if not signature:
        raise InvalidDelivery("The Stripe-Signature header is missing.")
    try:
        stripe_client.webhook_event(payload=payload, signature=signature)
    except stripe.SignatureVerificationError as exc:
        raise InvalidDelivery(f"Invalid signature: {exc.user_message or exc}") from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidDelivery("The payload is not a valid Stripe event.") from None
    # construct_event rejects stale timestamps only; a future one is as suspect.
    if _signed_at(signature) > time.time() + FUTURE_SKEW_SECONDS:
        raise InvalidDelivery("The signature's timestamp is in the future.")
    try:
        event = json.loads(payload)
    except ValueError:
        raise InvalidDelivery("The payload is not valid JSON.") from None
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidDelivery("The payload is not a Stripe event.")
    return event


def _session_purchase_id(session: dict) -> uuid.UUID | None:
    metadata = session.get("metadata") or {}
    return as_uuid(metadata.get("purchase_id") or session.get("client_reference_id"))


def _session_paid(session: dict, event: dict) -> None:
    if session.get("mode") == "subscription":
        _subscription_checkout_completed(session)
        return
    if session.get("payment_status") != "paid":
        return  # delayed payment methods: async_payment_succeeded will follow
    purchase_id = _session_purchase_id(session)
    if purchase_id is None:
        logger.warning("checkout session %s carries no purchase id", session.get("id"))
        return
    services.purchase_mark_paid(
        purchase_id=purchase_id,
        session_id=session.get("id") or "",
        payment_intent_id=session.get("payment_intent") or "",
        amount_total=session.get("amount_total"),
        currency=session.get("currency"),
    )


def _session_unpaid(status: str) -> Callable[[dict, dict], None]:
    def handle(session: dict, event: dict) -> None:
        purchase_id = _session_purchase_id(session)
        if session.get("mode") != "subscription" and purchase_id is not None:
            services.purchase_mark_unpaid(purchase_id=purchase_id, status=status)

    return handle


def _subscription_checkout_completed(session: dict) -> None:
    """Remember the customer, so later subscription events find the account."""
    account_id = as_uuid((session.get("metadata") or {}).get("account_id"))
    account_id = account_id or as_uuid(session.get("client_reference_id"))
    customer = session.get("customer") or ""
    if account_id and customer:
        Account.objects.filter(pk=account_id).update(stripe_customer_id=customer)


def _charge_refunded(charge: dict, event: dict) -> None:
    if not charge.get("refunded"):
        return  # a partial refund leaves the license in place
    services.purchase_mark_refunded(
        purchase_id=as_uuid((charge.get("metadata") or {}).get("purchase_id")),
        payment_intent_id=charge.get("payment_intent") or "",
    )


def _subscription_changed(deleted: bool) -> Callable[[dict, dict], None]:
    def handle(subscription: dict, event: dict) -> None:
        sub_id = subscription.get("id") or ""
        seen = ProcessedStripeEvent.objects.filter(
            object_id=sub_id, type__startswith="customer.subscription."
        ).exclude(event_id=event["id"])
        # Stripe does not guarantee order: a deleted subscription stays deleted,
        # and an older update never overrides a newer one.
        if not deleted and seen.filter(type="customer.subscription.deleted").exists():
            return
        if seen.filter(stripe_created__gt=int(event.get("created") or 0)).exists():
            return
        subscriptions.account_plan_sync(subscription=subscription, deleted=deleted)

    return handle


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_unpaid(PurchaseStatus.FAILED),
    "checkout.session.expired": _session_unpaid(PurchaseStatus.EXPIRED),
    "charge.refunded": _charge_refunded,
    "customer.subscription.created": _subscription_changed(deleted=False),
    "customer.subscription.updated": _subscription_changed(deleted=False),
    "customer.subscription.deleted": _subscription_changed(deleted=True),
}


def _apply_once(event: dict, handler: Callable[[dict, dict], None]) -> str:
    obj = (event.get("data") or {}).get("object") or {}
    try:
        with transaction.atomic():
            ProcessedStripeEvent.objects.create(
                event_id=str(event["id"])[:255],
                type=str(event["type"])[:100],
                object_id=str(obj.get("id") or "")[:255],
                stripe_created=int(event.get("created") or 0),
            )
            handler(obj, event)
    except IntegrityError:
        if ProcessedStripeEvent.objects.filter(event_id=event["id"]).exists():
            return "duplicate"
        raise
    return "processed"


def _transient(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("locked", "deadlock", "could not serialize"))


def event_process(event: dict) -> str:
    """Apply one verified event; 'processed', 'duplicate' or 'ignored'.

    A lock conflict (SQLite's shared-cache "table is locked", a PostgreSQL
    deadlock) rolls the whole transaction back, effect and event row together,
    so trying again is safe; the unique event id still decides who wins.
    """
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return "ignored"
    for attempt in range(LOCK_RETRIES):
        try:
            return _apply_once(event, handler)
        except OperationalError as exc:
            if not _transient(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(min(0.02 * 2**attempt, 0.5) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = verify_delivery(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except stripe_client.PaymentsNotConfigured as exc:
        return JsonResponse({"detail": str(exc)}, status=503)
    except InvalidDelivery as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    outcome = event_process(event)
    logger.info("stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return JsonResponse({"received": True, "outcome": outcome})
