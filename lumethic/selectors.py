"""Reads on the core domain."""

from __future__ import annotations

from django.db.models import QuerySet

from lumethic.models import Account, User


def accounts_for_user(*, user: User) -> QuerySet[Account]:
    return Account.objects.filter(memberships__user=user).order_by("created_at")


def user_is_member(*, user: User, account_id: object) -> bool:
    return Account.objects.filter(pk=account_id, memberships__user=user).exists()
