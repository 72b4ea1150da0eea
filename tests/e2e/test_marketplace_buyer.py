"""The buyer's path in a real browser against a live stack wired to the fake Stripe:
listing page → buy → (fake) Checkout → signed webhook → download; after the window, 410.

The stack is this module's own (the shared `live` one runs without Stripe keys),
and the fake Stripe server runs in this process: the live web process calls it
over HTTP, and its Pay button posts a Stripe-signed event back to our webhook.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from tests.e2e.waits import wait_until
from tests.fakes.stripe_server import (
    PRICE_BASIC,
    PRICE_PROFESSIONAL,
    TEST_SECRET_KEY,
    TEST_WEBHOOK_SECRET,
    FakeStripe,
)
from tests.live import LiveStack, make_stack

pytestmark = pytest.mark.e2e

SESSION_FOR = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from importlib import import_module
user = get_user_model().objects.get(email={email!r})
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
"""

ANALYSE = """
from verifications.pipeline import verification_process
verification_process(verification_id={verification_id!r})
"""

CLOSE_WINDOW = """
import datetime as dt
from django.utils import timezone
from marketplace.models import Purchase
n = Purchase.objects.filter(pk={purchase_id!r}).update(
    download_expires_at=timezone.now() - dt.timedelta(seconds=1))
print(n)
"""


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, fake_stripe: FakeStripe) -> Iterator[LiveStack]:
    stack = make_stack(
        tmp_path_factory.mktemp("shop"),
        STRIPE_SECRET_KEY=TEST_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET=TEST_WEBHOOK_SECRET,
        STRIPE_API_BASE=fake_stripe.url,
        STRIPE_PRICE_BASIC=PRICE_BASIC,
        STRIPE_PRICE_PROFESSIONAL=PRICE_PROFESSIONAL,
        DOWNLOAD_WINDOW_DAYS="7",
    ).start(worker=False)
    fake_stripe.webhook_url = stack.url + "/v1/marketplace/webhooks/stripe"
    yield stack
    stack.stop()


def api(context, shop: LiveStack, key: str, method: str, path: str, **kwargs):  # noqa: ANN001, ANN201
    headers = {"X-API-Key": key, **kwargs.pop("headers", {})}
    return context.request.fetch(
        shop.url + path, method=method, headers=headers, max_redirects=0, **kwargs
    )


def test_a_buyer_pays_through_checkout_downloads_and_the_window_closes(
    browser, shop: LiveStack, fake_stripe: FakeStripe, pair_files
):  # noqa: ANN001
    seller = shop.create_account("seller@shop.test", plan="basic")
    buyer = shop.create_account("buyer@shop.test")
    context = browser.new_context(base_url=shop.url, accept_downloads=True)
    try:
        # The seller verifies a photo (real upload, the worker's pipeline) and lists it.
        raw, jpeg = pair_files
        created = api(
            context, shop, seller["api_key"], "POST", "/v1/verifications/",
            multipart={
                "raw": {"name": raw.name, "mimeType": "image/x-adobe-dng", "buffer": raw.read_bytes()},
                "image": {"name": jpeg.name, "mimeType": "image/jpeg", "buffer": jpeg.read_bytes()},
            },
        )  # fmt: skip
        assert created.status == 201, created.text()
        verification_id = created.json()["id"]
        # The worker's own entry point, run once here instead of a whole qcluster
        # (whose start and graceful stop would double this test's time).
        # One shell also opens the buyer's login session (login pages are not ours to drive).
        script = ANALYSE.format(verification_id=verification_id) + SESSION_FOR.format(
            email="buyer@shop.test"
        )
        session_key = shop.manage("shell", "-c", script, timeout=180).strip().splitlines()[-1]
        v = api(
            context, shop, seller["api_key"], "GET", f"/v1/verifications/{verification_id}"
        ).json()
        assert (v["status"], v["result"]) == ("completed", True), v.get("failure_reason")
        listing = api(
            context, shop, seller["api_key"], "POST",
            f"/v1/marketplace/listings?verification_id={verification_id}",
            data=json.dumps({"title": "Astronaut", "currency": "eur", "price_personal_cents": 1250,
                             "license_terms_personal": "Personal use only"}),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        assert listing.status == 201, listing.text()
        listing_id = listing.json()["id"]

        # The buyer, logged in, opens the link the seller shared.
        context.add_cookies(
            [{"name": "sessionid", "value": session_key, "domain": "127.0.0.1", "path": "/"}]
        )
        page = context.new_page()
        page.goto(f"/marketplace/listings/{listing_id}/")
        assert page.locator("h1").inner_text() == "Astronaut"
        assert "Authentic" in page.locator("#verification-verdict").inner_text()
        assert "12.50 EUR" in page.locator("#license-personal").inner_text()
        preview = page.locator("#listing-preview")
        preview.wait_for()
        wait_until(page, "document.querySelector('#listing-preview').naturalWidth > 0")

        # Buy → the fake hosted Checkout → Pay: Stripe's signed webhook, then the success page.
        page.get_by_role("button", name="Buy personal license").click()
        page.wait_for_url(f"{fake_stripe.url}/pay/*")
        assert page.locator("#amount").inner_text() == "1250 eur"
        page.locator("#pay").click()
        page.wait_for_url(f"{shop.url}/marketplace/purchases/*/?checkout=success")
        assert fake_stripe.deliveries == [200]
        assert "Paid" in page.locator("#purchase-status").inner_text()

        # The download is the uploaded original, byte for byte.
        with page.expect_download() as info:
            page.locator("#download-link").click()
        data = open(info.value.path(), "rb").read()
        assert hashlib.sha256(data).hexdigest() == hashlib.sha256(jpeg.read_bytes()).hexdigest()

        purchase_id = page.url.split("/marketplace/purchases/")[1].split("/")[0]
        purchases = api(context, shop, buyer["api_key"], "GET", "/v1/marketplace/purchases").json()
        assert [(p["id"], p["status"]) for p in purchases] == [(purchase_id, "paid")]
        sales = api(
            context, shop, seller["api_key"], "GET", f"/v1/marketplace/listings/{listing_id}"
        )
        assert (sales.json()["total_sales"], sales.json()["total_revenue_cents"]) == (1, 1250)

        # After the download window, both the API and the page answer 410.
        closed = shop.manage("shell", "-c", CLOSE_WINDOW.format(purchase_id=purchase_id))
        assert closed.strip().splitlines()[-1] == "1"
        gone = api(
            context,
            shop,
            buyer["api_key"],
            "GET",
            f"/v1/marketplace/purchases/{purchase_id}/download",
        )
        assert gone.status == 410
        assert (
            context.request.get(f"{shop.url}/marketplace/purchases/{purchase_id}/download").status
            == 410
        )
    finally:
        context.close()
