"""Path ids: a malformed UUID is a 422 naming the parameter, not a 404 or a 500."""

from __future__ import annotations

import uuid

from lumethic.api.errors import validation_error


def parse_uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise validation_error(
            "path", name, "Input should be a valid UUID.", "uuid_parsing"
        ) from None
