"""Marketplace pages: the listing a buyer receives, the seller's listings and
sales, the buyer's purchases, and the plan upgrade that starts a subscription."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException

from lumethic.files import signed_url
from lumethic.middleware import session_account
from lumethic.models import PLAN_PRICES_CENTS, PLAN_QUOTAS, Plan
from lumethic.services import usage_for_month
from marketplace import selectors, services, stripe_client, subscriptions
from marketplace.models import LicenseType, Listing, Purchase
from marketplace.previews import listing_preview
from marketplace.selectors import as_uuid


def _account_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        account = session_account(request)
        if account is None:
            raise Http404("Your login is not part of any account.")
        request.account = account  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _listing_or_404(listing_id: str) -> Listing:
    pk = as_uuid(listing_id)
    listing = selectors.listing_get_public(listing_id=pk) if pk else None
    if listing is None:
        raise Http404("Listing not found.")
    return listing


def _licenses(listing: Listing) -> list[dict]:
    return [
        {
            "code": lt.value,
            "name": lt.label,
            "price": listing.price_for(lt.value),
            "terms": listing.terms_for(lt.value),
        }
        for lt in LicenseType
    ]


def listing_page(request: HttpRequest, listing_id: str) -> HttpResponse:
    listing = _listing_or_404(listing_id)
    account = session_account(request)
    verification = listing.verification
    context = {
        "listing": listing,
        "verification": verification,
        "checks": list(verification.results.all()),
        "licenses": _licenses(listing),
        "has_preview": bool(verification.thumbnail),
        "is_seller": account is not None and account.pk == listing.account_id,
        "my_purchases": (
            list(selectors.buyer_purchases_of_listing(account=account, listing=listing))
            if account is not None
            else []
        ),
        "payments_configured": stripe_client.payments_configured(),
        "checkout": request.GET.get("checkout", ""),
        "login_url": settings.LOGIN_URL,
    }
    return render(request, "marketplace/listing.html", context)


def listing_preview_image(request: HttpRequest, listing_id: str) -> FileResponse:
    listing = _listing_or_404(listing_id)
    name = listing_preview(listing)
    if name is None:
        raise Http404("No preview yet.")
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


@_account_page
@require_POST
def listing_buy(request: HttpRequest, listing_id: str) -> HttpResponse:
    listing = _listing_or_404(listing_id)
    license_type = request.POST.get("license_type", "")
    if license_type not in LicenseType.values:
        messages.error(request, "Choose a license to buy.")
        return redirect("marketplace:listing", listing_id=listing.pk)
    try:
        _purchase, url = services.purchase_start(
            listing=listing,
            account=request.account,
            user=request.user,
            license_type=license_type,
        )
    except APIException as exc:
        messages.error(request, str(exc.detail))
        return redirect("marketplace:listing", listing_id=listing.pk)
    return HttpResponseRedirect(url, status=303)


@_account_page
def seller_listings(request: HttpRequest) -> HttpResponse:
    listings = selectors.listings_for_account(account=request.account).select_related(
        "verification"
    )
    return render(request, "marketplace/seller_listings.html", {"listings": listings[:200]})


@_account_page
def seller_sales(request: HttpRequest) -> HttpResponse:
    sales = selectors.sales_for_seller(account=request.account)
    return render(request, "marketplace/seller_sales.html", {"sales": sales[:200]})


@_account_page
def buyer_purchases(request: HttpRequest) -> HttpResponse:
    purchases = selectors.purchases_for_buyer(account=request.account)
    context = {"purchases": purchases[:200], "now": timezone.now()}
    return render(request, "marketplace/purchases.html", context)


def _participant_purchase(request: HttpRequest, purchase_id: str) -> Purchase:
    pk = as_uuid(purchase_id)
    purchase = (
        selectors.purchase_get_for_participant(account=request.account, purchase_id=pk)
        if pk
        else None
    )
    if purchase is None:
        raise Http404("Purchase not found.")
    return purchase


@_account_page
def purchase_detail(request: HttpRequest, purchase_id: str) -> HttpResponse:
    """Where Checkout returns the buyer; shows the webhook's verdict, never decides it."""
    purchase = _participant_purchase(request, purchase_id)
    return render(request, "marketplace/purchase.html", {"purchase": purchase})


@_account_page
def purchase_download(request: HttpRequest, purchase_id: str) -> HttpResponse:
    purchase = _participant_purchase(request, purchase_id)
    try:
        services.purchase_download_check(purchase=purchase, account=request.account)
    except APIException as exc:
        context = {"purchase": purchase, "problem": str(exc.detail)}
        return render(request, "marketplace/purchase.html", context, status=exc.status_code)
    name = purchase.listing.verification.image_file.name
    url = signed_url(name, download_name=services.download_name(purchase.listing), request=request)
    return HttpResponseRedirect(url)


@_account_page
def plan_upgrade(request: HttpRequest) -> HttpResponse:
    """GET: plans, prices and this month's overage; POST plan=basic|professional: Checkout."""
    account = request.account
    if request.method == "POST":
        try:
            url = subscriptions.plan_checkout_start(
                account=account, user=request.user, plan=request.POST.get("plan", "")
            )
        except APIException as exc:
            messages.error(request, str(exc.detail))
            return redirect(subscriptions.plans_page())
        return HttpResponseRedirect(url, status=303)
    usage = usage_for_month(account=account)
    plans = [
        {
            "code": plan.value,
            "name": plan.label,
            "quota": PLAN_QUOTAS[plan],
            "price_cents": PLAN_PRICES_CENTS[plan],
            "buyable": plan in subscriptions.UPGRADABLE,
        }
        for plan in Plan
    ]
    context = {
        "plans": plans,
        "usage": usage,
        "overage_cents": usage.overage_count * settings.OVERAGE_PRICE_CENTS,
        "overage_price_cents": settings.OVERAGE_PRICE_CENTS,
        "payments_configured": stripe_client.payments_configured(),
        "checkout": request.GET.get("checkout", ""),
    }
    return render(request, "marketplace/pricing.html", context)
