"""Which opens of a share page count as views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sharing.models import ShareView
from sharing.tracking import is_bot
from tests.sharing.conftest import BROWSER_UA, page_path, share


@pytest.fixture
def path(alice, verification) -> str:  # noqa: ANN001
    return page_path(share(alice, verification))


def views() -> int:
    return ShareView.objects.count()


def test_an_anonymous_open_counts_one_view(path):
    Client(HTTP_USER_AGENT=BROWSER_UA).get(path)
    assert views() == 1


def test_reloading_within_30_minutes_counts_once(path):
    browser = Client(HTTP_USER_AGENT=BROWSER_UA)
    for _ in range(3):
        assert browser.get(path).status_code == 200
    assert views() == 1


def test_coming_back_after_30_minutes_counts_again(path):
    browser = Client(HTTP_USER_AGENT=BROWSER_UA)
    browser.get(path)
    ShareView.objects.update(viewed_at=ShareView.objects.get().viewed_at - dt.timedelta(minutes=31))
    browser.get(path)
    assert views() == 2


def test_the_visitor_cookie_keeps_one_visitor_one_even_from_a_new_address(path):
    browser = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.5")
    browser.get(path)
    browser.get(path, REMOTE_ADDR="198.51.100.7")
    assert views() == 1


def test_a_client_without_cookies_is_recognised_by_address_and_agent(path):
    for _ in range(3):
        Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.5").get(path)
    assert views() == 1


def test_two_visitors_count_two_views(path):
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.5").get(path)
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.7").get(path)
    assert views() == 2


def test_the_owner_and_their_account_members_do_not_count(path, alice, alice_colleague):
    for user in (alice.user, alice_colleague):
        browser = Client(HTTP_USER_AGENT=BROWSER_UA)
        browser.force_login(user)
        assert browser.get(path).status_code == 200
    assert views() == 0


def test_a_logged_in_outsider_counts_once_across_devices(path, bob):
    for address in ("203.0.113.5", "198.51.100.7"):
        browser = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=address)
        browser.force_login(bob.user)
        browser.get(path)
    assert views() == 1
    assert ShareView.objects.get().user == bob.user


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Twitterbot/1.0",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Wget/1.21.4",
    ],
)
def test_obvious_bots_do_not_count(path, agent):
    assert Client(HTTP_USER_AGENT=agent).get(path).status_code == 200
    assert views() == 0


def test_browser_prefetches_and_head_requests_do_not_count(path):
    Client(HTTP_USER_AGENT=BROWSER_UA).get(path, HTTP_SEC_PURPOSE="prefetch")
    Client(HTTP_USER_AGENT=BROWSER_UA).head(path)
    assert views() == 0


def test_revoked_and_unknown_links_count_nothing(alice, verification, path):
    alice.client.delete(f"/v1/verifications/{verification.pk}/share")
    assert Client(HTTP_USER_AGENT=BROWSER_UA).get(path).status_code == 404
    assert views() == 0


def test_an_anonymous_visitor_sent_to_log_in_is_not_counted(alice, make_v):
    v = make_v(alice)
    restricted = page_path(share(alice, v, "restricted"))
    assert Client(HTTP_USER_AGENT=BROWSER_UA).get(restricted).status_code == 302
    assert views() == 0


def test_nothing_identifying_is_stored(path):
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.5").get(path)
    row = ShareView.objects.values().get()
    flat = " ".join(str(v) for v in row.values())
    assert "203.0.113.5" not in flat and "Chrome" not in flat
    assert len(row["visitor_key"]) == len(row["client_key"]) == 64


@pytest.mark.parametrize(
    "agent",
    [
        BROWSER_UA,
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
    ],
)
def test_people_browsers_are_not_bots(agent):
    assert not is_bot(agent)
