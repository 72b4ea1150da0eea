"""The one authentication for /v1: `X-API-Key`, or the browser's session."""

from __future__ import annotations

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from apikeys.models import ApiKey
from apikeys.services import api_key_check
from lumethic.middleware import session_account
from lumethic.models import Account

HEADER = "X-API-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request):  # noqa: ANN201 - DRF's contract
        raw = request.headers.get(HEADER)
        if raw is None:
            return None
        key = api_key_check(raw.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) when credentials are missing.
        return HEADER


class SessionAuthentication(authentication.SessionAuthentication):
    """Django's session, CSRF-checked, so the web UI can call the same API."""


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "lumethic.api.authentication.ApiKeyAuthentication"
    name = "APIKeyHeader"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201
        return {"type": "apiKey", "in": "header", "name": HEADER}


def request_account(request: Request | HttpRequest) -> Account:
    """The account a request acts for: the key's, else the session's current one."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        return auth.account
    account = session_account(request)
    if account is None:
        raise exceptions.NotAuthenticated("No account is associated with this login.")
    return account
