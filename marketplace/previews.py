"""The public preview of a listed photo: its thumbnail with the verification strip.

Never the full-resolution original: the preview is drawn on the small thumbnail,
so showing a listing gives nothing away that a buyer would pay for. The strip is
drawn by the sharing app when it is installed; without it, the plain thumbnail.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from marketplace.models import Listing

logger = logging.getLogger(__name__)
PREVIEW_VERSION = "1"


def _strip_preview(listing: Listing) -> str | None:
    try:
        from sharing import imaging, renditions
    except ImportError:  # the sharing app draws strips; without it, no strip
        return None
    verification = listing.verification
    url = settings.SITE_URL + reverse("marketplace:listing", kwargs={"listing_id": listing.pk})
    info = renditions.strip_info_at(verification=verification, url=url)
    thumb = verification.thumbnail.name
    key = renditions.fingerprint(
        PREVIEW_VERSION, thumb, info.authentic, info.confidence, info.verified_on, url
    )
    name = f"marketplace/previews/{listing.pk}-{key}.jpg"
    renditions.cached_render(name, thumb, lambda src, out: imaging.compose_signed(src, out, info))
    return name


def listing_preview(listing: Listing) -> str | None:
    """Storage name of the preview image, or None when there is no thumbnail."""
    if not listing.verification.thumbnail:
        return None
    try:
        return _strip_preview(listing) or listing.verification.thumbnail.name
    except Exception:  # a broken strip must not hide the listing: fall back
        logger.exception("could not draw the preview strip for listing %s", listing.pk)
        return listing.verification.thumbnail.name
