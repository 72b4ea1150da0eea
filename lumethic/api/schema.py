"""OpenAPI generation: every documented operation lists its error responses."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {"detail": serializers.CharField()})
ValidationItem = inline_serializer(
    "ValidationErrorItem",
    {
        "loc": serializers.ListField(child=serializers.CharField()),
        "msg": serializers.CharField(),
        "type": serializers.CharField(),
    },
)
ValidationErrorSerializer = inline_serializer(
    "HTTPValidationError", {"detail": ValidationItem.__class__(many=True)}
)

MESSAGES = {
    400: "Bad request",
    401: "Missing, invalid, revoked or expired API key",
    402: "Quota, budget or plan limit reached",
    403: "Forbidden",
    404: "Not found",
    410: "Gone",
    413: "Upload too large",
    429: "Rate limited",
    503: "Service unavailable",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Response entries for the given error codes (422 gets the validation shape)."""
    out: dict[int, OpenApiResponse] = {}
    for code in codes:
        if code == 422:
            out[code] = OpenApiResponse(ValidationErrorSerializer, description="Validation error")
        else:
            out[code] = OpenApiResponse(ErrorSerializer, description=MESSAGES.get(code, "Error"))
    return out


class AutoSchema(openapi.AutoSchema):
    pass
