"""Writes on the marketplace: listings, purchases through Stripe Checkout, downloads.

Payment state changes only through the signed webhook (see webhooks.py); every
transition here is a conditional UPDATE, so duplicate or out-of-order events
and concurrent deliveries can never apply an effect twice on any database.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import NotFound, PermissionDenied

from lumethic.api.errors import BadRequest, Gone, PaymentRequired, ServiceUnavailable
from lumethic.models import Account, User
from marketplace import stripe_client
from marketplace.models import LicenseType, Listing, Purchase, PurchaseStatus
from verifications.models import Status
from verifications.selectors import verification_get

logger = logging.getLogger(__name__)

# Stripe Checkout Sessions lapse 24 h after creation unless `expires_at` says sooner.
CHECKOUT_SESSION_HOURS = 24

LISTING_FIELDS = (
    "title",
    "description",
    "currency",
    *(f"price_{lt}_cents" for lt in LicenseType.values),
    *(f"license_terms_{lt}" for lt in LicenseType.values),
)


def listing_create(*, account: Account, verification_id: object, data: dict[str, Any]) -> Listing:
    if not account.is_paid:
        raise PaymentRequired(
            "Selling on the marketplace needs a paid plan; upgrade to Basic or Professional."
        )
    verification = verification_get(account=account, verification_id=verification_id)
    if verification is None:
        raise NotFound("Verification not found.")
    if verification.status != Status.COMPLETED:
        raise PermissionDenied(
            "Only completed verifications can be listed; this one is "
            f"{verification.get_status_display().lower()}."
        )
    if verification.result is not True:
        raise PermissionDenied(
            "Only photos verified as authentic can be listed; this verification did not pass."
        )
    fields = {k: v for k, v in data.items() if k in LISTING_FIELDS}
    return Listing.objects.create(account=account, verification=verification, **fields)


def listing_update(*, listing: Listing, data: dict[str, Any]) -> Listing:
    if not listing.is_active:
        raise PermissionDenied("This listing is deactivated and can no longer be changed.")
    changed = [k for k in data if k in LISTING_FIELDS]
    for key in changed:
        setattr(listing, key, data[key])
    listing.save(update_fields=[*changed, "updated_at"])
    return listing


def listing_deactivate(*, listing: Listing) -> None:
    """Take a listing off sale; it stays readable and downloadable for past buyers."""
    updated = Listing.objects.filter(pk=listing.pk, is_active=True).update(
        is_active=False, deactivated_at=timezone.now(), updated_at=timezone.now()
    )
    if not updated:
        raise PermissionDenied("This listing is already deactivated.")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def purchase_start(
    *,
    listing: Listing,
    account: Account,
    user: User | None,
    license_type: str,
    success_url: str | None = None,
    cancel_url: str | None = None,
) -> tuple[Purchase, str]:
    """Create a pending purchase and its Checkout Session; returns (purchase, checkout_url)."""
    if listing.account_id == account.pk:
        raise BadRequest("You cannot buy your own listing.")
    if not listing.is_active:
        raise BadRequest("This listing is no longer for sale.")
    price = listing.price_for(license_type)
    if price is None:
        raise BadRequest(f"This listing has no price for the {license_type} license.")
    if not stripe_client.payments_configured():
        raise ServiceUnavailable(stripe_client.NOT_CONFIGURED)

    purchase = Purchase.objects.create(
        listing=listing,
        buyer_account=account,
        buyer_user=user,
        license_type=license_type,
        currency=listing.currency,
        price_cents=price,
    )
    done = reverse("marketplace:purchase-detail", kwargs={"purchase_id": purchase.pk})
    ref = {"purchase_id": str(purchase.pk), "listing_id": str(listing.pk)}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": listing.currency,
                    "unit_amount": price,
                    "product_data": {
                        "name": f"{listing.title} ({LicenseType(license_type).label} license)"
                    },
                },
            }
        ],
        "client_reference_id": str(purchase.pk),
        "metadata": {**ref, "license_type": license_type},
        "payment_intent_data": {"metadata": ref},
        "success_url": success_url or _absolute(done) + "?checkout=success",
        "cancel_url": cancel_url
        or _absolute(reverse("marketplace:listing", kwargs={"listing_id": listing.pk}))
        + "?checkout=cancelled",
    }
    if user is not None and user.email:
        params["customer_email"] = user.email
    # No transaction around the network call: SQLite takes its write lock at
    # BEGIN, and a slow Stripe must not block every other writer.
    try:
        session = stripe_client.checkout_session_create(
            params=params, idempotency_key=f"purchase-{purchase.pk}"
        )
    except stripe_client.PaymentProviderError as exc:
        purchase.delete()
        raise ServiceUnavailable(f"Could not start the payment: {exc}") from exc
    Purchase.objects.filter(pk=purchase.pk).update(stripe_checkout_session_id=session.id)
    purchase.stripe_checkout_session_id = session.id
    return purchase, session.url


# --- Effects of Stripe events (called by webhooks.py inside the event's transaction) ---


def purchase_mark_paid(
    *,
    purchase_id: object,
    session_id: str,
    payment_intent_id: str,
    amount_total: int | None,
    currency: str | None,
) -> bool:
    """pending/expired/failed → paid, once; the listing's totals move in the same step."""
    purchase = Purchase.objects.select_for_update().filter(pk=purchase_id).first()
    if purchase is None:
        logger.warning("paid session %s names unknown purchase %s", session_id, purchase_id)
        return False
    if amount_total is not None and (
        amount_total != purchase.price_cents or (currency or "").lower() != purchase.currency
    ):
        logger.error(
            "session %s paid %s %s for purchase %s priced %s %s; not fulfilled",
            session_id,
            amount_total,
            currency,
            purchase.pk,
            purchase.price_cents,
            purchase.currency,
        )
        return False
    now = timezone.now()
    updated = Purchase.objects.filter(
        pk=purchase.pk,
        status__in=[PurchaseStatus.PENDING, PurchaseStatus.EXPIRED, PurchaseStatus.FAILED],
    ).update(
        status=PurchaseStatus.PAID,
        paid_at=now,
        download_expires_at=now + dt.timedelta(days=settings.DOWNLOAD_WINDOW_DAYS),
        stripe_checkout_session_id=session_id,
        stripe_payment_intent_id=payment_intent_id or "",
        updated_at=now,
    )
    if updated:
        Listing.objects.filter(pk=purchase.listing_id).update(
            total_sales=F("total_sales") + 1,
            total_revenue_cents=F("total_revenue_cents") + purchase.price_cents,
        )
    return bool(updated)


def purchase_mark_unpaid(*, purchase_id: object, status: str) -> bool:
    """pending → expired/failed. A paid purchase is never undone by a late event."""
    return bool(
        Purchase.objects.filter(pk=purchase_id, status=PurchaseStatus.PENDING).update(
            status=status, updated_at=timezone.now()
        )
    )


def purchases_expire_stale(*, now: dt.datetime | None = None) -> int:
    """pending → expired once Stripe can no longer complete the Checkout Session.

    Stripe sends checkout.session.expired when a session lapses; this sweep covers the
    purchases whose event never arrived (webhook down, endpoint misconfigured), so a buyer's
    list does not keep a "pending" row forever. A late payment still fulfils: paid events
    move expired purchases to paid.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(hours=CHECKOUT_SESSION_HOURS + 1)
    return Purchase.objects.filter(status=PurchaseStatus.PENDING, created_at__lt=cutoff).update(
        status=PurchaseStatus.EXPIRED, updated_at=timezone.now()
    )


def purchase_mark_refunded(*, purchase_id: object | None, payment_intent_id: str) -> bool:
    """paid → refunded (the listing's totals give the sale back); pending → refunded too,
    so a refund that overtakes its payment event is not lost."""
    rows = Purchase.objects.select_for_update()
    purchase = None
    if payment_intent_id:
        purchase = rows.filter(stripe_payment_intent_id=payment_intent_id).first()
    if purchase is None and purchase_id:
        purchase = rows.filter(pk=purchase_id).first()
    if purchase is None:
        return False
    now = timezone.now()
    was_paid = Purchase.objects.filter(pk=purchase.pk, status=PurchaseStatus.PAID).update(
        status=PurchaseStatus.REFUNDED, refunded_at=now, updated_at=now
    )
    if was_paid:
        Listing.objects.filter(pk=purchase.listing_id).update(
            total_sales=F("total_sales") - 1,
            total_revenue_cents=F("total_revenue_cents") - purchase.price_cents,
        )
        return True
    return bool(
        Purchase.objects.filter(pk=purchase.pk, status=PurchaseStatus.PENDING).update(
            status=PurchaseStatus.REFUNDED, refunded_at=now, updated_at=now
        )
    )


# --- Downloads --------------------------------------------------------------------------


def purchase_download_check(*, purchase: Purchase, account: Account) -> None:
    """Raise unless this account may download the purchase's original now."""
    if purchase.listing.account_id == account.pk:
        return  # the seller may always fetch their own photo
    if purchase.buyer_account_id != account.pk:
        raise PermissionDenied("Only the buyer can download this purchase.")
    if purchase.status == PurchaseStatus.PENDING:
        raise PaymentRequired("Payment for this purchase is still pending.")
    if purchase.status in (PurchaseStatus.EXPIRED, PurchaseStatus.FAILED):
        raise PaymentRequired("This purchase was not paid; buy the license again to download.")
    if purchase.status == PurchaseStatus.REFUNDED:
        raise PermissionDenied("This purchase was refunded; its license no longer applies.")
    if purchase.download_expires_at is None or purchase.download_expires_at <= timezone.now():
        raise Gone("The download window for this purchase has closed.")


def listing_download_check(*, listing: Listing, account: Account) -> None:
    """The seller always; a buyer while one of their paid purchases is in its window."""
    if listing.account_id == account.pk:
        return
    paid = list(
        Purchase.objects.filter(
            listing=listing, buyer_account=account, status=PurchaseStatus.PAID
        ).values_list("download_expires_at", flat=True)
    )
    if not paid:
        raise PermissionDenied("A paid purchase of this listing is required to download it.")
    now = timezone.now()
    if not any(expires and expires > now for expires in paid):
        raise Gone("The download window for your purchase of this listing has closed.")


def download_name(listing: Listing) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", listing.title).strip("-.") or "photo"
    return f"{stem[:80]}.jpg"
