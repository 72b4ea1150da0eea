from __future__ import annotations


class UnreadableInput(Exception):  # noqa: N818  (public name fixed by the worker interface)
    """An input file cannot be analysed at all; `field` says which one, `reason` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
