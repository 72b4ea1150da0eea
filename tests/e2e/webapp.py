"""Helpers for the web app's browser tests (tests/e2e/test_web_*.py)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect
from skimage import data as skimage_data

from tests.factories.dng import make_pair
from tests.live import REPO, LiveStack

SHOTS = REPO / "docs" / "screenshots"
WIDTHS = (1280, 375)
PASSWORD = "correct-horse-battery"


def make_pairs(folder: Path) -> tuple[Path, Path, Path]:
    """An authentic synthetic DNG + JPEG, and the JPEG with an object from another
    photo (a coffee cup, 160 x 120 px, ~5 % of the frame) pasted into the sky."""
    raw, jpeg = make_pair(folder, size=(768, 512))
    with Image.open(jpeg) as im:
        exif = im.info.get("exif", b"")
        forged = im.copy()
    forged.paste(Image.fromarray(skimage_data.coffee()).resize((160, 120)), (520, 40))
    forged_path = folder / "astronaut-forged.jpg"
    forged.save(forged_path, quality=92, exif=exif)
    return raw, jpeg, forged_path


def screenshots(page: Page, name: str) -> None:
    """Save the page at each width (full height), then restore the desktop width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # JPEG keeps the photo-heavy pages small enough to live in the repository.
        page.screenshot(path=SHOTS / f"{name}-{width}.jpg", full_page=True, type="jpeg", quality=80)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def upload(page: Page, raw: Path, jpeg: Path, shots: str = "") -> None:
    page.goto("/upload/")
    # Both files through one picker, JPEG first: the page sorts them by type.
    page.locator("#id_files").set_input_files([str(jpeg), str(raw)])
    expect(page.locator("#slot-raw .slot-name")).to_contain_text(raw.name)
    expect(page.locator("#slot-image .slot-name")).to_contain_text(jpeg.name)
    if shots:
        screenshots(page, shots)
    page.get_by_role("button", name="Upload and verify").click()


def api_get(live: LiveStack, path: str, key: str) -> dict:
    request = urllib.request.Request(live.url + path, headers={"X-API-Key": key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())
