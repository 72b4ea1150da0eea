"""Plan upgrades: Basic and Professional sold as Stripe subscriptions.

The pricing page starts a subscription Checkout; only the signed
`customer.subscription.*` webhooks change `Account.plan`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lumethic.api.errors import BadRequest, ServiceUnavailable
from lumethic.models import Account, Plan, User
from marketplace import stripe_client

logger = logging.getLogger(__name__)

UPGRADABLE = (Plan.BASIC, Plan.PROFESSIONAL)
# Subscription states in which the customer keeps the paid plan.
LIVE_STATUSES = frozenset({"active", "trialing", "past_due"})


def price_for_plan(plan: str) -> str:
    return {
        Plan.BASIC: settings.STRIPE_PRICE_BASIC,
        Plan.PROFESSIONAL: settings.STRIPE_PRICE_PROFESSIONAL,
    }.get(plan, "")


def plan_for_price(price_id: str) -> str | None:
    if price_id and price_id == settings.STRIPE_PRICE_BASIC:
        return Plan.BASIC
    if price_id and price_id == settings.STRIPE_PRICE_PROFESSIONAL:
        return Plan.PROFESSIONAL
    return None


def plans_page() -> str:
    """The web app's plan and usage page when installed, else our own pricing page."""
    try:
        return reverse("plan")
    except NoReverseMatch:
        return reverse("marketplace:plan-upgrade")


def plan_checkout_start(
    *, account: Account, user: User | None, plan: str, success_url: str = "", cancel_url: str = ""
) -> str:
    """Start a subscription Checkout for Basic or Professional; returns its URL."""
    if plan not in UPGRADABLE:
        raise BadRequest("Only the Basic and Professional plans can be bought online.")
    price = price_for_plan(plan)
    if not stripe_client.payments_configured() or not price:
        raise ServiceUnavailable(stripe_client.NOT_CONFIGURED)
    pricing = settings.SITE_URL + plans_page()
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": price, "quantity": 1}],
        "client_reference_id": str(account.pk),
        "metadata": {"account_id": str(account.pk), "plan": plan},
        "subscription_data": {"metadata": {"account_id": str(account.pk), "plan": plan}},
        "success_url": success_url or pricing + "?checkout=success",
        "cancel_url": cancel_url or pricing + "?checkout=cancelled",
    }
    if account.stripe_customer_id:
        params["customer"] = account.stripe_customer_id
    elif user is not None and user.email:
        params["customer_email"] = user.email
    try:
        session = stripe_client.checkout_session_create(
            params=params, idempotency_key=f"plan-{account.pk}-{plan}-{_minute()}"
        )
    except stripe_client.PaymentProviderError as exc:
        raise ServiceUnavailable(f"Could not start the payment: {exc}") from exc
    return session.url


def _minute() -> str:
    # Retries within a minute reuse one session; a later click gets a fresh one.
    return timezone.now().strftime("%Y%m%d%H%M")


def _subscription_account(subscription: dict) -> Account | None:
    metadata = subscription.get("metadata") or {}
    rows = Account.objects.select_for_update()
    account_id = metadata.get("account_id")
    if account_id:
        try:
            account = rows.filter(pk=account_id).first()
        except (ValidationError, ValueError):  # a malformed id in metadata is not ours
            account = None
        if account is not None:
            return account
    customer = subscription.get("customer") or ""
    if customer:
        return rows.filter(stripe_customer_id=customer).first()
    return None


def _subscription_price(subscription: dict) -> str:
    items = (subscription.get("items") or {}).get("data") or []
    for item in items:
        price = (item.get("price") or {}).get("id") or ""
        if plan_for_price(price):
            return price
    return ""


def account_plan_sync(*, subscription: dict, deleted: bool) -> bool:
    """Apply a subscription's state to its account's plan; True when something changed."""
    account = _subscription_account(subscription)
    if account is None:
        logger.warning("subscription %s matches no account", subscription.get("id"))
        return False
    sub_id = subscription.get("id") or ""
    if deleted or subscription.get("status") not in LIVE_STATUSES:
        # Only the account's current subscription may take the plan away: ending
        # an old one after an upgrade must not downgrade the new one.
        if account.stripe_subscription_id and account.stripe_subscription_id != sub_id:
            return False
        account.plan = Plan.FREE
        account.stripe_subscription_id = ""
    else:
        plan = plan_for_price(_subscription_price(subscription))
        if plan is None:
            logger.warning("subscription %s has no known price", sub_id)
            return False
        account.plan = plan
        account.stripe_subscription_id = sub_id
    if subscription.get("customer"):
        account.stripe_customer_id = subscription["customer"]
    account.save(
        update_fields=["plan", "stripe_subscription_id", "stripe_customer_id", "updated_at"]
    )
    return True
