"""Page-view guards shared by the web app's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from lumethic.middleware import session_account


def account_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and acting for an account (request.account set), else a way out."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        account = session_account(request)
        if account is None:
            messages.error(request, "Your login is not part of any account yet; ask for an invite.")
            return redirect("account")
        request.account = account  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
