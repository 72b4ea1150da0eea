"""Stored files: short-lived signed URLs and local copies for the worker.

On S3 the storage presigns; on local disk we sign the storage name with
Django's TimestampSigner and serve it through `serve_signed`, so a URL leaks
nothing lasting and a tampered or expired one is refused.
"""

from __future__ import annotations

import contextlib
import mimetypes
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse

SALT = "lumethic.files"


def uses_local_storage() -> bool:
    try:
        default_storage.path("x")
    except NotImplementedError:
        return False
    return True


def signed_url(
    name: str, *, download_name: str | None = None, request: HttpRequest | None = None
) -> str:
    if not uses_local_storage():
        params = {}
        if download_name:
            params["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
        return default_storage.url(name, parameters=params) if params else default_storage.url(name)
    token = signing.dumps({"n": name, "d": download_name or ""}, salt=SALT, compress=True)
    path = reverse("signed-file", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


def serve_signed(request: HttpRequest, token: str) -> FileResponse:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGNED_URL_SECONDS)
    except signing.SignatureExpired:
        raise Http404("This link has expired.") from None
    except signing.BadSignature:
        raise Http404("Invalid link.") from None
    name = data["n"]
    if not default_storage.exists(name):
        raise Http404("File not found.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    if data.get("d"):
        response["Content-Disposition"] = f'attachment; filename="{data["d"]}"'
    response["Cache-Control"] = "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@contextlib.contextmanager
def local_copy(name: str, suffix: str = "") -> Iterator[Path]:
    """A filesystem path for a stored file (a temporary copy when remote)."""
    if uses_local_storage():
        yield Path(default_storage.path(name))
        return
    with tempfile.TemporaryDirectory(prefix="lumethic-") as tmp:
        target = Path(tmp) / f"file{suffix}"
        with default_storage.open(name, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        yield target
