"""Path converter for ids: matches any segment so a malformed UUID reaches the
view and gets a 422 naming the parameter (the contract), while OpenAPI still
documents it as a UUID."""

from __future__ import annotations


class AnyUUIDConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)
