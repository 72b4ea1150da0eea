"""Security headers, cookies, `check --deploy`, secrets kept out of logs, GPS kept off public pages."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
import requests
from PIL import Image

from tests.live import REPO
from tests.reliability.client import new_caller, shell
from tests.reliability.figures import record

pytestmark = pytest.mark.live
PAGES = ("/", "/login/", "/signup/", "/docs", "/pricing/")
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SITE_URL": "https://lumethic.example",
    "DJANGO_ALLOWED_HOSTS": "lumethic.example",
    "DJANGO_SECRET_KEY": "reliability-" + "k3y-material-" * 5,
}


def _production(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("LUMETHIC_PRODUCTION", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_pages_carry_csp_nosniff_referrer_policy_and_frame_denial(quiet_stack):
    seen = {}
    for path in PAGES:
        response = requests.get(quiet_stack.url + path, timeout=30)
        if response.status_code == 404:
            continue
        headers = response.headers
        seen[path] = response.status_code
        assert "default-src 'self'" in headers["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["X-Frame-Options"] == "DENY", path
    assert len(seen) >= 3
    api = requests.get(quiet_stack.url + "/v1/public/health", timeout=30).headers
    assert api["X-Content-Type-Options"] == "nosniff"


def test_plain_http_on_loopback_keeps_login_working_with_non_secure_cookies(quiet_stack):
    quiet_stack.create_account("cookie@example.com", password="correct-horse-battery")
    session = requests.Session()
    session.get(quiet_stack.url + "/login/", timeout=30)
    token = session.cookies["csrftoken"]
    response = session.post(
        quiet_stack.url + "/login/",
        data={
            "username": "cookie@example.com",
            "password": "correct-horse-battery",
            "email": "cookie@example.com",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": quiet_stack.url + "/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:300]
    cookie = response.headers["Set-Cookie"]
    assert "sessionid=" in cookie and "HttpOnly" in cookie and "Secure" not in cookie


def test_production_settings_pass_check_deploy_with_hsts_and_secure_cookies():
    deploy = _production("check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    probe = _production(
        "shell",
        "-c",
        "from django.conf import settings as s; from django.test import Client; "
        "r = Client().get('/v1/public/health', secure=True, HTTP_HOST='lumethic.example'); "
        "p = Client().get('/', HTTP_HOST='lumethic.example'); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, r.headers.get('Strict-Transport-Security'), "
        "p.status_code, p.headers.get('Location'))",
    )
    assert probe.returncode == 0, probe.stderr
    line = probe.stdout.strip().splitlines()[-1]
    record("check_deploy", production_env=sorted(PRODUCTION_ENV), issues=0, probe=line)
    assert line.startswith("True True max-age=31536000; includeSubDomains; preload 301 https://")


def test_api_keys_and_webhook_secrets_never_reach_the_logs(quiet_stack):
    caller = new_caller(quiet_stack, "logs@example.com")
    secret_part = caller.key.split(".", 1)[1]
    fake = "lum_live_abcdefgh." + "s3cr3t" * 5
    caller.get("/v1/verifications/")
    caller.get("/v1/verifications/not-a-uuid")
    requests.get(quiet_stack.url + "/v1/verifications/", headers={"X-API-Key": fake}, timeout=30)
    requests.post(
        quiet_stack.url + "/v1/apikeys/",
        json={"account_id": "nope"},
        headers={"X-API-Key": caller.key},
        timeout=30,
    )
    requests.post(
        quiet_stack.url + "/v1/marketplace/webhooks/stripe",
        data=b'{"id": "evt_1", "type": "checkout.session.completed"}',
        headers={"Stripe-Signature": "t=1,v1=deadbeef", "Content-Type": "application/json"},
        timeout=30,
    )
    logs = (quiet_stack.var_dir / "web.log").read_text(errors="replace")
    webhook_secret = quiet_stack.env["STRIPE_WEBHOOK_SECRET"]
    leaks = [s for s in (secret_part, fake, webhook_secret) if s in logs]
    record("secrets_in_logs", log_bytes=len(logs), leaks=len(leaks))
    assert leaks == []
    assert not re.search(r"lum_live_\w{8}\.\w{20,}", logs)


def _gps_in_jpeg(data: bytes) -> bool:
    exif = Image.open(io.BytesIO(data)).getexif()
    return bool(exif.get_ifd(0x8825))


def test_exif_gps_stays_off_the_public_share_page_until_the_owner_opts_in(stack, tmp_path):
    from tests.factories.dng import make_pair

    raw, image = make_pair(
        tmp_path, size=(256, 176), source="astronaut", seed=4, gps=(47.36667, 8.55)
    )
    caller = new_caller(stack, "gps@example.com")
    vid = caller.upload(raw, image).json()["id"]
    body = caller.wait_terminal([vid], timeout=180)[vid]
    assert body["status"] == "completed" and body["capture_gps_latitude"] is not None
    share = requests.post(
        stack.url + f"/v1/verifications/{vid}/share",
        json={"access_type": "anyone_with_link"},
        headers={"X-API-Key": caller.key},
        timeout=30,
    ).json()
    page = requests.get(share["share_url"].replace("http://testserver", stack.url), timeout=30)
    assert page.status_code == 200
    preview = requests.get(page.url.rstrip("/") + "/preview.jpg", timeout=30)
    hidden = "47.36667" not in page.text and "8.55000" not in page.text
    preview_clean = preview.status_code != 200 or not _gps_in_jpeg(preview.content)
    shell(
        stack,
        f"from sharing.models import Share; Share.objects.filter(verification_id='{vid}').update(show_location=True)",
    )
    shown = "47.36667" in requests.get(page.url, timeout=30).text
    record(
        "gps_on_public_pages",
        hidden_by_default=hidden,
        preview_without_gps=preview_clean,
        shown_after_opt_in=shown,
    )
    assert hidden and preview_clean and shown
