"""Stored, cached renditions for sharing: the "verified" JPEG and web display copies.

Each file's name carries a fingerprint of everything drawn into it, so a
cached copy is found with one `exists` call, and a changed verdict, share URL
or image simply gets a new name (the stale ones are deleted then). All files
of one verification live in one folder, removed when the verification is.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from lumethic.files import local_copy
from provenance import c2pa
from sharing import imaging
from sharing.models import Share
from sharing.selectors import share_url
from verifications.models import Verification

logger = logging.getLogger(__name__)
STRIP_VERSION = "1"  # bump when the strip's layout changes, to redraw cached copies


def folder(verification: Verification) -> str:
    return f"shared/{verification.account_id}/{verification.pk}/"


def strip_info_at(*, verification: Verification, url: str) -> imaging.StripInfo:
    """What the verification strip says, pointing to `url` (a share or listing page)."""
    when = verification.completed_at or verification.updated_at
    return imaging.StripInfo(
        authentic=bool(verification.result),
        confidence=verification.result_confidence,
        verified_on=when.strftime("%Y-%m-%d"),
        short_code=verification.short_code,
        share_url=url,
    )


def strip_info(*, verification: Verification, share: Share) -> imaging.StripInfo:
    return strip_info_at(verification=verification, url=share_url(share=share))


def fingerprint(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]


def cached_render(name: str, source: str, draw: Callable[[Path, Path], None]) -> bool:
    """Make sure storage `name` exists, drawing it from the stored file `source` with
    `draw(src, out)` if it does not; True when it was drawn now (stale copies to prune)."""
    if default_storage.exists(name):
        return False
    with (
        local_copy(source, ".jpg") as src,
        tempfile.TemporaryDirectory(prefix="lumethic-render-") as tmp,
    ):
        out = Path(tmp) / "out.jpg"
        draw(src, out)
        _store(name, out)
    return True


def _store(name: str, path: Path) -> str:
    with open(path, "rb") as fh:
        stored = default_storage.save(name, File(fh))
    if stored != name:  # another request drew the same file meanwhile: keep theirs
        default_storage.delete(stored)
    return name


def _prune(verification: Verification, prefix: str, keep: str) -> None:
    try:
        _dirs, files = default_storage.listdir(folder(verification))
    except FileNotFoundError:
        return
    for fname in files:
        full = folder(verification) + fname
        if fname.startswith(prefix) and full != keep:
            default_storage.delete(full)


def signed_original(*, verification: Verification, share: Share) -> str:
    """The storage name of the JPEG with its verification strip (drawn on first use)."""
    info = strip_info(verification=verification, share=share)
    key = fingerprint(
        STRIP_VERSION,
        verification.image_photo_hash,
        info.authentic,
        info.confidence,
        info.verified_on,
        info.short_code,
        info.share_url,
    )

    def draw(src: Path, out: Path) -> None:
        imaging.compose_signed(src, out, info)
        if verification.result:  # authentic: our signed verdict travels with it (C2PA)
            assertion = c2pa.verification_assertion(verification, share_url=info.share_url)
            out.write_bytes(c2pa.sign_jpeg_or_keep(out.read_bytes(), assertion))

    name = f"{folder(verification)}signed-{key}.jpg"
    if cached_render(name, verification.image_file.name, draw):
        _prune(verification, "signed-", keep=name)
    return name


def display_image(*, verification: Verification) -> str:
    """A metadata-free web copy of the JPEG, sized like the registered RAW rendition."""
    name = f"{folder(verification)}display-{verification.image_photo_hash[:24]}.jpg"

    def draw(src: Path, out: Path) -> None:
        size = None
        if verification.rendition_image:
            with local_copy(verification.rendition_image.name, ".jpg") as rendition:
                size = imaging.image_size(rendition)
        imaging.display_copy(src, out, size=size)

    if cached_render(name, verification.image_file.name, draw):
        _prune(verification, "display-", keep=name)
    return name


def renditions_delete(*, verification: Verification) -> None:
    """Remove every cached file of a verification, once its deletion commits."""
    path = folder(verification)

    def remove() -> None:
        try:
            _dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        for fname in files:
            default_storage.delete(path + fname)

    transaction.on_commit(remove)
