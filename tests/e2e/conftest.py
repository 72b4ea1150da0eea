"""Browser fixtures: a live stack and Debian's chromium driven by Playwright.

Every request the page makes is recorded, so tests can assert that no page
talks to another host.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.live import LiveStack, make_stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    stack = make_stack(tmp_path_factory.mktemp("live")).start(worker=True)
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog(list):
    def foreign(self, base_url: str) -> list[str]:
        host = urlparse(base_url).netloc
        return [
            u
            for u in self
            if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host
        ]


@pytest.fixture
def page_factory(browser, live: LiveStack):  # noqa: ANN001, ANN201
    """new_page(width=1280) -> (page, requests); contexts are closed after the test."""
    contexts = []

    def new_page(width: int = 1280, height: int = 900):  # noqa: ANN202
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live.url
        )
        contexts.append(context)
        page = context.new_page()
        log = RequestLog()
        page.on("request", lambda req: log.append(req.url))
        return page, log

    yield new_page
    for context in contexts:
        context.close()
