"""Waiting on the page without tripping our Content Security Policy."""

from __future__ import annotations

import time


def wait_until(page, expression: str, timeout: float = 20.0) -> None:  # noqa: ANN001
    """Poll a JavaScript expression until it is truthy.

    Playwright's `wait_for_function` re-evaluates its string with `eval` inside the page
    once the first check fails, which our CSP (no 'unsafe-eval') forbids, so it only
    passed when the condition already held. `page.evaluate` goes through the DevTools
    protocol, which CSP does not govern.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {expression}")
        page.wait_for_timeout(100)
