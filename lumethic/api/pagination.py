"""Offset/size pagination: `{items, total, offset, size, total_pages}`."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from lumethic.api.errors import RequestValidationError


class PageQuerySerializer(serializers.Serializer):
    # Bounded: a larger offset overflows the database's integer (a 500, not a 422).
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**31 - 1)
    size = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)


def paginate(request: Request, queryset: QuerySet, serializer_class: type, **ctx: Any) -> dict:
    query = PageQuerySerializer(data=request.query_params)
    if not query.is_valid():
        raise RequestValidationError(query.errors, "query")
    offset, size = query.validated_data["offset"], query.validated_data["size"]
    total = queryset.count()
    items = serializer_class(
        queryset[offset : offset + size], many=True, context={"request": request, **ctx}
    ).data
    return {
        "items": items,
        "total": total,
        "offset": offset,
        "size": size,
        "total_pages": math.ceil(total / size) if total else 0,
    }


def page_serializer(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The OpenAPI shape of one page of `item`."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "items": item(many=True),
            "total": serializers.IntegerField(),
            "offset": serializers.IntegerField(),
            "size": serializers.IntegerField(),
            "total_pages": serializers.IntegerField(),
        },
    )
