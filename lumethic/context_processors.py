from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from lumethic.middleware import session_account


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_URL": settings.SITE_URL,
        "current_account": session_account(request),
        "stripe_enabled": bool(settings.STRIPE_SECRET_KEY),
    }
