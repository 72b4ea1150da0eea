"""API key pages: list, create (the raw key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apikeys.forms import ApiKeyCreateForm
from apikeys.selectors import api_keys_for_account
from apikeys.services import api_key_create, api_key_revoke
from lumethic.decorators import account_required


@account_required
def key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyCreateForm(request.POST or None)
    created = raw_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created, raw_key = api_key_create(
                account=request.account,
                user=request.user,
                description=form.cleaned_data["description"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
            # Rendered, not redirected: the raw key exists only in this response.
            form = ApiKeyCreateForm()
        else:
            status = 422
    context = {
        "keys": api_keys_for_account(account=request.account).select_related("user"),
        "form": form,
        "created": created,
        "raw_key": raw_key,
    }
    response = render(request, "apikeys/keys.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@account_required
@require_POST
def key_revoke(request: HttpRequest, key_id: object) -> HttpResponse:
    key = api_keys_for_account(account=request.account).filter(pk=key_id).first()
    if key is None:
        raise Http404("No such key.")
    api_key_revoke(key=key)
    messages.success(request, f"Revoked {key.prefix}…: it stops working at once.")
    return redirect("api-keys-page")
