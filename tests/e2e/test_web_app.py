"""The photographer's web app in a real browser against the live stack:
sign up, upload with a progress bar, read the report, make an API key, share;
the free plan's sixth upload shows the way out. Screenshots for the README
are written to docs/screenshots/ on the way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.webapp import PASSWORD, api_get, log_in, make_pairs, screenshots, upload
from tests.live import LiveStack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_pairs(tmp_path_factory.mktemp("web-pair"))


def test_photographer_signs_up_verifies_a_pair_makes_a_key_and_shares(
    page_factory, live: LiveStack, pair
):
    raw, jpeg, _forged = pair
    page, requests = page_factory(1280)

    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("E-mail address").fill("walker@web-e2e.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/upload/")

    upload(page, raw, jpeg, shots="upload")
    expect(page.locator("#upload-progress")).to_be_visible()
    page.wait_for_url(re.compile(r"/verifications/[0-9a-f-]{36}/$"), timeout=120_000)
    assert page.locator("#upload-progress").count() == 0  # the report replaced the upload page
    expect(page.locator("#verdict")).to_have_text("Authentic")
    expect(page.locator("#confidence-value")).to_contain_text("%")
    expect(page.locator(".analysis")).not_to_have_count(0)
    report_url = page.url
    screenshots(page, "report")

    # The comparison modes work from the keyboard too.
    page.get_by_role("button", name="Slider").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Slider")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Divider position (JPEG on the left, RAW on the right)").fill("20")
    assert "80%" in page.locator("#slider-top").get_attribute("style")
    page.get_by_role("button", name="Flicker").click()
    expect(page.locator("#flicker-label")).to_have_text("Showing: RAW rendition")
    page.get_by_role("button", name="Pause").click()

    page.goto("/dashboard/")
    expect(page.locator(".vrow")).to_have_count(1)
    expect(page.locator(".vrow .verdict")).to_have_text("Authentic")
    screenshots(page, "dashboard")

    page.goto("/keys/")
    page.get_by_label("Description").fill("e2e script")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text().strip()
    listing = api_get(live, "/v1/verifications/", key)
    assert listing["total"] == 1 and listing["items"][0]["result"] is True

    page.goto(report_url)
    page.get_by_role("button", name="Share…").click()
    page.get_by_label("Anyone with the link").check()
    page.locator("#share-save").click()
    expect(page.locator("#share-url")).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/s/"))
    expect(page.locator("#signed-download")).to_be_visible()
    share_url = page.locator("#share-url").input_value()
    page.get_by_label("Invite by e-mail").fill("editor@web-e2e.example")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator("#invite-list")).to_contain_text("editor@web-e2e.example")

    page.keyboard.press("Escape")
    # Listings need a paid plan: the marketplace API's 402 comes back as a way out.
    page.get_by_role("button", name="Sell a licence…").click()
    page.locator("#listing-form button[type=submit]").click()
    expect(page.locator("#listing-result")).to_contain_text("paid plan")
    expect(page.locator("#listing-result a")).to_have_attribute("href", "/plan/")

    stranger, stranger_requests = page_factory(1280)
    stranger.goto(share_url)
    expect(stranger.locator("#verdict-title")).to_be_visible()
    screenshots(stranger, "share")

    # The stranger's visit shows up in the owner's share dialog.
    page.reload()
    page.get_by_role("button", name="Share…").click()
    expect(page.locator("#share-views")).to_contain_text("1 view by other people")

    assert requests.foreign(live.url) == []
    assert stranger_requests.foreign(live.url) == []


def test_the_free_plans_sixth_upload_shows_the_upgrade_message(page_factory, live: LiveStack, pair):
    raw, jpeg, _forged = pair
    account = live.create_account("busy@web-e2e.example", password=PASSWORD)
    # Five verifications already this month (counted as the quota counts them).
    live.manage(
        "shell",
        "-c",
        "from lumethic.models import MonthlyUsage; from lumethic.services import current_month; "
        f"MonthlyUsage.objects.create(account_id='{account['account_id']}', "
        "month=current_month(), count=5)",
    )
    page, requests = page_factory(1280)
    log_in(page, "busy@web-e2e.example")
    page.goto("/upload/")
    page.locator("#id_files").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}]
    )
    expect(page.locator("#upload-errors")).to_contain_text("neither a camera RAW")
    # Each file lands in its own slot whichever picker was used.
    page.get_by_label("Camera RAW file").set_input_files(str(jpeg))
    page.get_by_label("Published JPEG").set_input_files(str(raw))
    expect(page.locator("#slot-raw .slot-name")).to_contain_text(raw.name)
    expect(page.locator("#slot-image .slot-name")).to_contain_text(jpeg.name)
    page.get_by_role("button", name="Upload and verify").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("upgrade")
    expect(errors.get_by_role("link", name="See the plans and upgrade")).to_have_attribute(
        "href", "/plan/"
    )
    assert requests.foreign(live.url) == []
