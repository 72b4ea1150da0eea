"""Who is looking at a share page: bot detection and privacy-keeping visitor keys.

A visitor is keyed by a first-party cookie (or their user id when logged in),
and, for clients that keep no cookies, by their IP address and user agent.
Only keyed hashes are stored, never the cookie, the address or the agent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.http import HttpRequest

VISITOR_COOKIE = "lmv"
VISITOR_COOKIE_AGE = 365 * 24 * 3600

# Crawlers, link unfurlers, monitors and scripted HTTP clients. A headless
# browser driven by a person's tooling still renders the page, so
# "HeadlessChrome" is not on this list; "headless" elsewhere is.
_BOT_UA = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scraper|facebookexternalhit|facebookcatalog|embedly"
    r"|preview|whatsapp|telegram|skypeuripreview|vkshare|pinterest|redditbot|discord"
    r"|curl/|wget/|python-|python/|httpx|aiohttp|go-http-client|okhttp|java/|libwww|lwp-"
    r"|scrapy|phantomjs|headless(?!chrome)|lighthouse|pagespeed|gtmetrix|uptime|monitor"
    r"|pingdom|statuscake|check_http|feedfetcher|axios/|node-fetch|undici|postman",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    ua = (user_agent or "").strip()
    return not ua or bool(_BOT_UA.search(ua))


def is_prefetch(request: HttpRequest) -> bool:
    purpose = (
        request.headers.get("Sec-Purpose")
        or request.headers.get("Purpose")
        or request.headers.get("X-Moz")
        or ""
    )
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


def _keyed_hash(value: str) -> str:
    key = hashlib.sha256(("lumethic.sharing.views:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def client_key(request: HttpRequest) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    return _keyed_hash(f"ip:{ip}|ua:{request.headers.get('User-Agent', '')}")


def visitor_cookie(request: HttpRequest) -> tuple[str, bool]:
    """(cookie value, whether the browser already had it)."""
    value = request.COOKIES.get(VISITOR_COOKIE, "")
    if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", value):
        return value, True
    return secrets.token_urlsafe(18), False


def visitor_key(request: HttpRequest, cookie: str) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _keyed_hash(f"user:{user.pk}")
    return _keyed_hash(f"cookie:{cookie}")
