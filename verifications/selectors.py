"""Reads on verifications, always scoped to an account."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lumethic.models import Account
from verifications.models import Verification

SORT_FIELDS = ("created_at", "updated_at", "name", "status", "result_confidence")


def verifications_for_account(*, account: Account) -> QuerySet[Verification]:
    return Verification.objects.filter(account=account).prefetch_related("results")


def verification_get(*, account: Account, verification_id: object) -> Verification | None:
    return verifications_for_account(account=account).filter(pk=verification_id).first()


def verification_list(
    *,
    account: Account,
    search: str = "",
    status: str | None = None,
    result: bool | None = None,
    sort_by: str = "created_at",
    sort_order: str = "desc",
) -> QuerySet[Verification]:
    qs = verifications_for_account(account=account)
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(short_code__iexact=search.strip())
            | Q(camera_make__icontains=search)
            | Q(camera_model__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    if result is not None:
        qs = qs.filter(result=result)
    prefix = "-" if sort_order == "desc" else ""
    # The id tie-break keeps pages stable when many rows share a sort value.
    return qs.order_by(f"{prefix}{sort_by}", f"{prefix}id")
