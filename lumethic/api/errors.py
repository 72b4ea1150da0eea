"""One error shape for all of /v1.

`{"detail": "<sentence>"}` for every error, and FastAPI-style 422 bodies
`{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` for validation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback


class RequestValidationError(exceptions.APIException):
    """422 with a list of located errors; `location` is body, query or path."""

    status_code = 422
    default_detail = "Validation error."

    def __init__(self, errors: Any, location: str = "body") -> None:
        self.errors = errors
        self.location = location
        super().__init__(detail="Validation error.")


class PaymentRequired(exceptions.APIException):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_detail = "Payment required."


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This resource is no longer available."


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Service unavailable."


def validation_items(errors: Any, location: str, prefix: tuple[str, ...] = ()) -> list[dict]:
    """Flatten DRF's nested error dicts/lists into located items."""
    items: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            sub = prefix if key in ("non_field_errors",) else (*prefix, str(key))
            items.extend(validation_items(value, location, sub))
    elif isinstance(errors, list):
        if all(not isinstance(e, dict | list) for e in errors):
            for e in errors:
                code = getattr(e, "code", None) or "value_error"
                items.append({"loc": [location, *prefix], "msg": str(e), "type": str(code)})
        else:
            for index, value in enumerate(errors):
                items.extend(validation_items(value, location, (*prefix, str(index))))
    else:
        code = getattr(errors, "code", None) or "value_error"
        items.append({"loc": [location, *prefix], "msg": str(errors), "type": str(code)})
    return items


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, RequestValidationError):
        set_rollback()
        return Response({"detail": validation_items(exc.errors, exc.location)}, status=422)
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response({"detail": validation_items(exc.detail, "body")}, status=422)
    if isinstance(exc, exceptions.ParseError | exceptions.UnsupportedMediaType):
        set_rollback()
        item = {"loc": ["body"], "msg": str(exc.detail), "type": "json_invalid"}
        return Response({"detail": [item]}, status=422)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait) + 1)
        detail = exc.detail
        if isinstance(detail, list | dict):
            detail = "; ".join(
                str(v) for v in (detail.values() if isinstance(detail, dict) else detail)
            )
        set_rollback()
        return Response({"detail": str(detail)}, status=exc.status_code, headers=headers)
    return None


def validation_error(
    location: str, field: str, msg: str, type_: str = "value_error"
) -> RequestValidationError:
    """A 422 about one field, e.g. validation_error("path", "verification_id", "not a UUID")."""
    return RequestValidationError({field: [exceptions.ErrorDetail(msg, code=type_)]}, location)
