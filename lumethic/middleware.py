"""Request plumbing: the browser's current account, and JSON errors under /v1."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

from lumethic.selectors import accounts_for_user

logger = logging.getLogger(__name__)
SESSION_ACCOUNT_KEY = "account_id"


class CurrentAccountMiddleware:
    """Sets request.account for logged-in browser users (lazily, one query at most)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._cached_account = None  # type: ignore[attr-defined]
        return self.get_response(request)


def session_account(request: HttpRequest):  # noqa: ANN201 - returns Account | None
    cached = getattr(request, "_cached_account", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    accounts = accounts_for_user(user=user)
    wanted = request.session.get(SESSION_ACCOUNT_KEY)
    account = (accounts.filter(pk=wanted).first() if wanted else None) or accounts.first()
    request._cached_account = account  # type: ignore[attr-defined]
    return account


class ApiJsonErrorsMiddleware:
    """Under /v1 a client always gets JSON: unknown paths, crashes and a lost database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/v1/")
            and response.status_code == 404
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/v1/") and isinstance(exception, RequestDataTooBig):
            # DATA_UPLOAD_MAX_MEMORY_SIZE: Django would answer 400, DRF lets it escape.
            return JsonResponse(
                {"detail": "The request body is larger than the server accepts."}, status=413
            )
        if request.path.startswith("/v1/") and isinstance(
            exception, SuspiciousOperation | DjangoBadRequest
        ):
            return JsonResponse({"detail": "Bad request."}, status=400)
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unavailable: %s", exception)
            response = JsonResponse(
                {"detail": "The service is briefly unavailable; retry shortly."}, status=503
            )
            response["Retry-After"] = "5"
            return response
        if request.path.startswith("/v1/"):
            logger.exception("unhandled error on %s", request.path)
            if isinstance(exception, DatabaseError):
                return JsonResponse({"detail": "A database error occurred."}, status=500)
            return JsonResponse({"detail": "Internal server error."}, status=500)
        return None


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _inline_script_hashes(folder: Path) -> list[str]:
    """CSP hashes of the static inline scripts in our templates, so they run and nothing else does."""
    hashes = set()
    for path in folder.rglob("*.html"):
        for body in _INLINE_SCRIPT.findall(path.read_text(errors="replace")):
            if "{{" not in body and "{%" not in body:
                digest = hashlib.sha256(body.encode()).digest()
                hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        # Inline style attributes (e.g. a CSS variable on the share page's slider).
        "style-src 'self' 'unsafe-inline'; "
        # https: for signed object-storage URLs (thumbnails) when S3 is configured.
        "img-src 'self' data: blob: https:; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )


# Swagger UI and ReDoc bootstrap themselves with inline scripts.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response (Django 5.2 has no built-in one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(
            _inline_script_hashes(settings.BASE_DIR / "templates")
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path in ("/docs", "/redoc")
            response["Content-Security-Policy"] = DOCS_POLICY if docs else self.policy
        return response
