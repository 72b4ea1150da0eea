"""django-q2 entry points for the marketplace."""

from __future__ import annotations

from marketplace.services import purchases_expire_stale


def expire_stale_purchases() -> int:
    return purchases_expire_stale()
