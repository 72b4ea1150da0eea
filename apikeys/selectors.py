from __future__ import annotations

from django.db.models import QuerySet

from apikeys.models import ApiKey
from lumethic.models import Account


def api_keys_for_account(*, account: Account) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(account=account).order_by("-created_at")
