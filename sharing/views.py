"""The public share page `/s/<code>`: server-rendered, no login for anyone_with_link."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lumethic.files import signed_url
from sharing import presentation, renditions, tracking
from sharing.models import Share
from sharing.selectors import Access, share_access, share_for_code, share_url
from sharing.services import share_view_record

logger = logging.getLogger(__name__)


def _visible_share(request: HttpRequest, code: str) -> tuple[Share, Access] | HttpResponse:
    share = share_for_code(code=code)
    if share is None:
        raise Http404("This link does not exist or is no longer shared.")
    access = share_access(share=share, user=request.user)
    if access is Access.LOGIN:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if access is Access.DENIED:
        raise Http404("This link does not exist or is no longer shared.")
    return share, access


def _image_urls(request: HttpRequest, share: Share) -> dict[str, str | None]:
    v = share.verification
    urls: dict[str, str | None] = {"thumbnail": None, "heatmap": None, "rendition": None}
    for key, f in (
        ("thumbnail", v.thumbnail),
        ("heatmap", v.heatmap_image),
        ("rendition", v.rendition_image),
    ):
        if f:
            urls[key] = signed_url(f.name, request=request)
    try:
        urls["image"] = signed_url(renditions.display_image(verification=v), request=request)
    except Exception:  # noqa: BLE001 - a missing upload must not take the page down
        logger.exception("could not prepare the display copy of %s", v.pk)
        urls["image"] = urls["thumbnail"]
    return urls


@require_safe
def share_page(request: HttpRequest, code: str) -> HttpResponse:
    outcome = _visible_share(request, code)
    if isinstance(outcome, HttpResponse):
        return outcome
    share, access = outcome
    v = share.verification
    title, explanation = presentation.verdict_text(v)
    public_url = share_url(share=share)
    context = {
        "share": share,
        "verification": v,
        "verdict_title": title,
        "verdict_explanation": explanation,
        "confidence": None if v.result_confidence is None else round(100 * v.result_confidence),
        "facts": presentation.facts(v),
        "analyses": presentation.analysis_rows(v),
        "recipe": presentation.recipe(v),
        "regions": len(v.regions or []),
        "images": _image_urls(request, share),
        "share_url": public_url,
        "og_image": (
            public_url + "/preview.jpg" if share.access_type == "anyone_with_link" else None
        ),
        "show_location": share.show_location and v.capture_gps_latitude is not None,
        "is_member": access is Access.MEMBER,
    }
    response = render(request, "sharing/share_page.html", context)
    # Signed image URLs inside expire in minutes: never serve this page from a cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    if access is not Access.MEMBER:
        _count_view(request, response, share)
    return response


def _count_view(request: HttpRequest, response: HttpResponse, share: Share) -> None:
    cookie, known = tracking.visitor_cookie(request)
    if not known:
        response.set_cookie(
            tracking.VISITOR_COOKIE,
            cookie,
            max_age=tracking.VISITOR_COOKIE_AGE,
            path="/s/",
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    if request.method != "GET" or tracking.is_prefetch(request):
        return
    if tracking.is_bot(request.headers.get("User-Agent", "")):
        return
    user = request.user if request.user.is_authenticated else None
    share_view_record(
        share=share,
        visitor_key=tracking.visitor_key(request, cookie),
        client_key=tracking.client_key(request),
        user=user,
        known_visitor=known or user is not None,
    )


@require_safe
def share_preview_image(request: HttpRequest, code: str) -> HttpResponse:
    """A stable URL for link previews (Open Graph): redirects to the signed thumbnail.

    Only for anyone_with_link shares: a restricted page must not leak its picture.
    """
    share = share_for_code(code=code)
    if share is None or share.access_type != "anyone_with_link" or not share.verification.thumbnail:
        raise Http404("No preview.")
    response = HttpResponseRedirect(signed_url(share.verification.thumbnail.name, request=request))
    response["Cache-Control"] = "no-store"
    return response
