"""A share link in a real browser against the live stack (runserver + django-q2 worker).

The owner uploads a real pair through the API and the worker analyses it;
an anonymous visitor then opens the link in Debian's chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.waits import wait_until
from tests.live import LiveStack, wait_for_status

pytestmark = pytest.mark.e2e
OWNER = "sharer@example.com"


def _call(live: LiveStack, key: str, method: str, path: str, body: bytes | None = None,
          content_type: str = "application/json") -> dict:  # fmt: skip
    request = urllib.request.Request(live.url + path, data=body, method=method)
    request.add_header("X-API-Key", key)
    if body is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def _multipart(files: dict[str, Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for field, path in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + path.read_bytes()
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _owner_session(live: LiveStack) -> str:
    """A logged-in session for the owner, made server-side (the login page is not ours)."""
    code = (
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from lumethic.models import User\n"
        f"u = User.objects.get(email={OWNER!r})\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(u.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    return live.manage("shell", "-c", code).strip().splitlines()[-1]


@pytest.fixture(scope="module")
def shared(live: LiveStack, tmp_path_factory: pytest.TempPathFactory) -> dict:
    from tests.factories.dng import make_pair

    key = live.create_account(OWNER)["api_key"]
    raw, jpeg = make_pair(tmp_path_factory.mktemp("e2e-share"), size=(384, 256), seed=1)
    body, content_type = _multipart({"raw": raw, "image": jpeg})
    created = _call(live, key, "POST", "/v1/verifications/", body, content_type)
    verification = wait_for_status(
        lambda path: _call(live, key, "GET", path), created["id"], timeout=180
    )
    assert verification["status"] == "completed", verification
    share = _call(
        live,
        key,
        "POST",
        f"/v1/verifications/{created['id']}/share",
        json.dumps({"access_type": "anyone_with_link"}).encode(),
    )
    return {"key": key, "verification": verification, "share": share}


def _views(live: LiveStack, shared: dict) -> int:
    path = f"/v1/verifications/{shared['verification']['id']}/analytics/views"
    return _call(live, shared["key"], "GET", path)["total_views"]


def test_an_anonymous_visitor_sees_the_verdict_and_comparison_and_counts_once(
    live, shared, page_factory, tmp_path
):
    share_url = shared["share"]["share_url"]
    assert share_url.startswith(live.url + "/s/")
    assert _views(live, shared) == 0

    page, requests = page_factory()
    page.goto(share_url)
    verdict = page.get_by_test_id("verdict")
    expected = "Verified authentic" if shared["verification"]["result"] else "Not verified"
    assert expected in verdict.inner_text()
    comparison = page.get_by_test_id("comparison")
    comparison.scroll_into_view_if_needed()
    assert comparison.is_visible()
    wait_until(
        page,
        "[...document.querySelectorAll('[data-testid=comparison] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)",
    )
    page.locator(".sh-compare-range").fill("20")
    assert page.locator("[data-compare]").evaluate("el => el.style.getPropertyValue('--pos')") == (
        "20%"
    )
    page.screenshot(path=str(tmp_path / "share.png"), full_page=True)
    assert requests.foreign(live.url) == []
    assert _views(live, shared) == 1

    page.reload()  # the same visitor within 30 minutes
    page.get_by_test_id("verdict").wait_for()
    assert _views(live, shared) == 1


def test_the_owners_own_visit_does_not_count(live, shared, page_factory):
    before = _views(live, shared)
    page, _ = page_factory()
    page.context.add_cookies(
        [{"name": "sessionid", "value": _owner_session(live), "url": live.url}]
    )
    page.goto(shared["share"]["share_url"])
    assert "your visits are not counted" in page.get_by_test_id("share-page").inner_text()
    assert _views(live, shared) == before


def test_the_invitation_email_leaves_from_the_worker(live, shared):
    vid = shared["verification"]["id"]
    body = json.dumps({"email": "Editor@Newspaper.example"}).encode()
    answer = _call(live, shared["key"], "POST", f"/v1/verifications/{vid}/share/invites", body)
    assert answer == {"email": "editor@newspaper.example", "user_exists": False}
    log = live.var_dir / "worker.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "To: editor@newspaper.example" in text and shared["share"]["share_url"] in text:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the worker did not send the invitation e-mail")
    assert "To: editor@newspaper.example" not in (live.var_dir / "web.log").read_text(
        errors="replace"
    )


def test_a_generated_client_drives_every_share_operation(live, shared, tmp_path):
    """The spec is the contract: openapi-generator's python client, unchanged."""
    import importlib
    import subprocess
    import sys

    spec = tmp_path / "openapi.json"
    with urllib.request.urlopen(live.url + "/openapi.json", timeout=30) as r:
        spec.write_bytes(r.read())
    generator = str(Path(sys.executable).parent / "openapi-generator-cli")
    subprocess.run(
        [generator, "generate", "-i", str(spec), "-g", "python", "-o", str(tmp_path / "client"),
         "--package-name", "lumethic_client", "--skip-validate-spec"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        lc = importlib.import_module("lumethic_client")
        config = lc.Configuration(host=live.url, api_key={"APIKeyHeader": shared["key"]})
        api = lc.VerificationsApi(lc.ApiClient(config))
        vid = shared["verification"]["id"]
        current = api.get_verification_share(vid)
        assert current.share_url == shared["share"]["share_url"]
        updated = api.create_or_update_verification_share(
            vid, lc.ShareUpdateRequest(access_type="restricted")
        )
        assert updated.access_type == "restricted" and updated.share_url == current.share_url
        added = api.add_verification_invite(vid, lc.ShareInviteRequest(email="Desk@Paper.example"))
        assert (added.email, added.user_exists) == ("desk@paper.example", False)
        assert "desk@paper.example" in api.get_verification_share(vid).invited_emails
        api.remove_verification_invite(vid, lc.ShareInviteRequest(email="desk@paper.example"))
        assert "desk@paper.example" not in api.get_verification_share(vid).invited_emails
        analytics = api.get_verification_view_analytics(vid)
        assert len(analytics.daily_views) == 30 and analytics.total_views >= 0
        api.create_or_update_verification_share(
            vid, lc.ShareUpdateRequest(access_type="anyone_with_link")
        )
        with pytest.raises(lc.ApiException) as backwards:
            api.get_verification_view_analytics(
                vid, start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 9)
            )
        assert backwards.value.status == 400
    finally:
        sys.path.remove(str(tmp_path / "client"))
        for name in [m for m in sys.modules if m.startswith("lumethic_client")]:
            del sys.modules[name]
