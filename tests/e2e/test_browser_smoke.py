from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_api_docs_page_loads_with_local_assets_only(page_factory, live):
    page, requests = page_factory()
    page.goto("/docs")
    page.wait_for_selector("#swagger-ui")
    assert requests.foreign(live.url) == []
