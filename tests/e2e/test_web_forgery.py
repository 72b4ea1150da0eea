"""A forged JPEG in the browser: the report says "Not authentic" and outlines
the pasted area; on the way, the dashboard row updates itself by polling."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.webapp import PASSWORD, log_in, make_pairs, screenshots, upload
from tests.live import LiveStack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_pairs(tmp_path_factory.mktemp("web-forgery"))


def test_a_forged_jpeg_is_not_authentic_with_the_pasted_area_outlined(
    page_factory, live: LiveStack, pair
):
    raw, _jpeg, forged = pair
    live.create_account("forger@web-e2e.example", password=PASSWORD)
    page, requests = page_factory(1280)
    log_in(page, "forger@web-e2e.example")
    upload(page, raw, forged)
    expect(page.locator("#processing-status")).to_contain_text("Uploaded")

    # Leave for the dashboard at once: the row updates itself, without a reload.
    page.goto("/dashboard/")
    was_pending = page.locator(".vrow[data-poll]").count() == 1
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(".vrow .verdict")).to_have_text("Not authentic", timeout=120_000)
    if was_pending:
        assert page.evaluate("window.__sameDocument") is True
        expect(page.locator(".vrow .badge")).to_have_text("Completed")

    page.locator(".vrow a.name").click()
    expect(page.locator("#verdict")).to_have_text("Not authentic")
    assert page.locator("svg rect.region").count() >= 1
    screenshots(page, "report-forged")
    expect(page.locator("#regions tbody tr")).not_to_have_count(0)

    # Deleting asks first, in a dialog; cancelling keeps the report.
    page.get_by_role("link", name="Delete…").click()
    dialog = page.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Delete…").click()
    dialog.get_by_role("button", name="Delete for good").click()
    page.wait_for_url("**/dashboard/")
    expect(page.locator(".messages")).to_contain_text("Deleted")
    expect(page.locator(".vrow")).to_have_count(0)
    assert requests.foreign(live.url) == []
