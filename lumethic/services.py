"""Writes on the core domain: accounts, memberships and the monthly quota."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, PositiveIntegerField, When
from django.utils import timezone

from lumethic.models import Account, Membership, MonthlyUsage, Plan, User


def current_month(now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.date().replace(day=1)


@transaction.atomic
def account_create(
    *, email: str, password: str | None = None, plan: str = Plan.FREE, name: str = ""
) -> tuple[Account, User]:
    """Create (or reuse) the user and give them a new account they own."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    account = Account.objects.create(name=name or email, plan=plan)
    Membership.objects.create(user=user, account=account, role=Membership.Role.OWNER)
    return account, user


def usage_limit(account: Account) -> int | None:
    """How many verifications the account may start this month (None: unlimited)."""
    quota = account.monthly_quota
    if quota is None:
        return None
    if not account.is_paid or settings.OVERAGE_PRICE_CENTS == 0:
        return quota
    return quota + account.budget_limit_cents // settings.OVERAGE_PRICE_CENTS


def usage_reserve(*, account: Account) -> bool:
    """Count one verification against this month's quota; False when none is left.

    A single conditional UPDATE makes the check and the increment one atomic
    step, so concurrent uploads can never overshoot the limit on any database.
    """
    month = current_month()
    usage, _ = MonthlyUsage.objects.get_or_create(account=account, month=month)
    limit = usage_limit(account)
    rows = MonthlyUsage.objects.filter(pk=usage.pk)
    if limit is not None:
        rows = rows.filter(count__lt=limit)
    quota = account.monthly_quota
    overage = F("overage_count")
    if quota is not None:
        overage = Case(
            When(count__gte=quota, then=F("overage_count") + 1),
            default=overage,
            output_field=PositiveIntegerField(),
        )
    return rows.update(count=F("count") + 1, overage_count=overage) == 1


def usage_release(*, account: Account) -> None:
    """Give back a reservation whose upload was rejected after the quota check."""
    month = current_month()
    quota = account.monthly_quota
    overage = F("overage_count")
    if quota is not None:
        overage = Case(
            When(count__gt=quota, then=F("overage_count") - 1),
            default=overage,
            output_field=PositiveIntegerField(),
        )
    MonthlyUsage.objects.filter(account=account, month=month, count__gt=0).update(
        count=F("count") - 1, overage_count=overage
    )


def usage_for_month(*, account: Account, month: dt.date | None = None) -> MonthlyUsage:
    month = month or current_month()
    usage = MonthlyUsage.objects.filter(account=account, month=month).first()
    return usage or MonthlyUsage(account=account, month=month)
