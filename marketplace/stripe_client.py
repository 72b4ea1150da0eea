"""The official `stripe` library, configured from settings.

One client per call (cheap: no network until a request) so a settings change
(or a test pointing STRIPE_API_BASE at a fake server) takes effect at once and
no global library state is mutated from request threads.
"""

from __future__ import annotations

import stripe
from django.conf import settings

# Stripe's own default: a delivery signed longer ago than this may be a replay.
WEBHOOK_TOLERANCE_SECONDS = 300
STRIPE_TIMEOUT_SECONDS = 15
NOT_CONFIGURED = "Payments are not configured on this server; please try again later."


class PaymentsNotConfigured(Exception):
    """No Stripe key: purchases and upgrades are off, the rest keeps working."""

    def __init__(self, message: str = NOT_CONFIGURED) -> None:
        super().__init__(message)


class PaymentProviderError(Exception):
    """Stripe refused or could not be reached; nothing was charged."""


def payments_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    if not payments_configured():
        raise PaymentsNotConfigured()
    # An explicit STRIPE_API_BASE wins; otherwise whatever the library is pointed at.
    base = settings.STRIPE_API_BASE or stripe.api_base
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base.rstrip("/")},
        max_network_retries=2,
        # The buyer waits on this call; Stripe's 80 s default would hang the page.
        http_client=stripe.new_default_http_client(timeout=STRIPE_TIMEOUT_SECONDS),
    )


def checkout_session_create(*, params: dict, idempotency_key: str) -> stripe.checkout.Session:
    """Create a Checkout Session; Stripe failures become PaymentProviderError."""
    client = stripe_client()
    try:
        return client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise PaymentProviderError(
            getattr(exc, "user_message", None) or "The payment provider is unavailable."
        ) from exc


def webhook_event(*, payload: bytes, signature: str) -> stripe.Event:
    """Verify and parse a webhook delivery (raises ValueError / SignatureVerificationError)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise PaymentsNotConfigured("Stripe webhooks are not configured on this server.")
    return stripe.Webhook.construct_event(
        payload.decode("utf-8"),
        signature,
        settings.STRIPE_WEBHOOK_SECRET,
        tolerance=WEBHOOK_TOLERANCE_SECONDS,
    )
