"""Account pages: landing, sign up, team (invite, switch account), plan and usage."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from lumethic.decorators import account_required
from lumethic.forms import InviteForm, SignupForm, SwitchAccountForm
from lumethic.memberships import (
    membership_invite,
    membership_is_owner,
    memberships_for_account,
)
from lumethic.middleware import SESSION_ACCOUNT_KEY, session_account
from lumethic.models import PLAN_PRICES_CENTS, PLAN_QUOTAS, Plan
from lumethic.selectors import accounts_for_user, user_is_member
from lumethic.services import account_create, usage_for_month, usage_limit

# The marketplace app owns billing: the plan page posts to its upgrade view.
UPGRADE_URL_NAME = "marketplace:plan-upgrade"


def euros(cents: int) -> str:
    return f"€{cents // 100}.{cents % 100:02d}"


def plan_table() -> list[dict]:
    rows = []
    for plan in Plan:
        cents = PLAN_PRICES_CENTS[plan]
        quota = PLAN_QUOTAS[plan]
        rows.append(
            {
                "code": plan.value,
                "name": plan.label,
                "quota": quota,
                "price": "By contract"
                if cents is None
                else ("Free" if cents == 0 else euros(cents)),
                "per_month": bool(cents),
                "terms": (
                    "Verifications by contract"
                    if quota is None
                    else f"{quota:,} verifications a month"
                    + (" (hard limit)" if plan == Plan.FREE else ", then pay per use")
                ),
            }
        )
    return rows


def upgrade_url() -> str | None:
    try:
        return reverse(UPGRADE_URL_NAME)
    except NoReverseMatch:  # billing not installed: the page explains instead
        return None


def landing(request: HttpRequest) -> HttpResponse:
    context = {"plans": plan_table(), "overage_price": euros(settings.OVERAGE_PRICE_CENTS)}
    return render(request, "landing.html", context)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account, user = account_create(
            email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_ACCOUNT_KEY] = str(account.pk)
        messages.success(request, "Welcome! Your free account is ready: verify your first photo.")
        return redirect("upload")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    current = session_account(request)
    invite_form = InviteForm()
    if request.method == "POST":
        invite_form = InviteForm(request.POST)
        if invite_form.is_valid() and current is not None:
            try:
                _user, created = membership_invite(
                    account=current,
                    email=invite_form.cleaned_data["email"],
                    invited_by=request.user,
                )
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                email = invite_form.cleaned_data["email"]
                messages.success(
                    request,
                    f"Invited {email}: "
                    + (
                        "they will get an e-mail to choose a password."
                        if created
                        else "they can switch to this account now."
                    ),
                )
                return redirect("account")
    members = memberships_for_account(account=current) if current else []
    context = {
        "accounts": accounts_for_user(user=request.user),
        "members": members,
        "invite_form": invite_form,
        "is_owner": current is not None and membership_is_owner(account=current, user=request.user),
    }
    return render(request, "account.html", context)


@login_required
@require_POST
def switch_account(request: HttpRequest) -> HttpResponse:
    form = SwitchAccountForm(request.POST)
    if form.is_valid() and user_is_member(
        user=request.user, account_id=form.cleaned_data["account_id"]
    ):
        request.session[SESSION_ACCOUNT_KEY] = str(form.cleaned_data["account_id"])
        request._cached_account = None  # type: ignore[attr-defined]
        messages.success(request, f"Switched to {session_account(request)}.")
    else:
        messages.error(request, "You are not a member of that account.")
    return redirect("dashboard")


@account_required
def plan(request: HttpRequest) -> HttpResponse:
    current = request.account
    upgrade = upgrade_url()
    usage = usage_for_month(account=current)
    quota = current.monthly_quota
    context = {
        "plans": plan_table(),
        "usage": usage,
        "quota": quota,
        "limit": usage_limit(current),
        "remaining": None if quota is None else max(quota - usage.count, 0),
        "overage_cost": euros(usage.overage_count * settings.OVERAGE_PRICE_CENTS),
        "overage_price": euros(settings.OVERAGE_PRICE_CENTS),
        "budget": euros(current.budget_limit_cents),
        "upgrade_url": upgrade,
        # Without Stripe the upgrade view can only answer with an error: say so up front.
        "can_upgrade": bool(settings.STRIPE_SECRET_KEY) and upgrade is not None,
    }
    return render(request, "plan.html", context)
