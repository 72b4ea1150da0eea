"""The public preview of a listed photo: its thumbnail with the verification strip.

Never the full-resolution original: the preview is drawn on the small thumbnail,
so showing a listing gives nothing away that a buyer would pay for. The strip is
drawn by the sharing app when it is installed; without it, the plain thumbnail.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse

from lumethic.files import local_copy
from marketplace.models import Listing

logger = logging.getLogger(__name__)
PREVIEW_VERSION = "1"


def _strip_preview(listing: Listing) -> str | None:
    try:
        from sharing import imaging
    except ImportError:  # the sharing app draws strips; without it, no strip
        return None
    verification = listing.verification
    when = verification.completed_at or verification.updated_at
    url = settings.SITE_URL + reverse("marketplace:listing", kwargs={"listing_id": listing.pk})
    info = imaging.StripInfo(
        authentic=bool(verification.result),
        confidence=verification.result_confidence,
        verified_on=when.strftime("%Y-%m-%d"),
        short_code=verification.short_code,
        share_url=url,
    )
    key = hashlib.sha256(
        "|".join(
            map(
                str,
                (
                    PREVIEW_VERSION,
                    verification.thumbnail.name,
                    info.authentic,
                    info.confidence,
                    info.verified_on,
                    url,
                ),
            )
        ).encode()
    ).hexdigest()[:24]
    name = f"marketplace/previews/{listing.pk}-{key}.jpg"
    if default_storage.exists(name):
        return name
    with (
        local_copy(verification.thumbnail.name, ".jpg") as src,
        tempfile.TemporaryDirectory(prefix="lumethic-preview-") as tmp,
    ):
        out = Path(tmp) / "preview.jpg"
        imaging.compose_signed(src, out, info)
        with open(out, "rb") as fh:
            stored = default_storage.save(name, File(fh))
    if stored != name:  # drawn concurrently by another request: keep one copy
        default_storage.delete(stored)
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
