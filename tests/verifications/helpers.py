"""Rows made directly in the database, for tests about reads (no engine run)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from verifications.models import Status, Verification


def make_verification(account, **fields) -> Verification:  # noqa: ANN001
    defaults = {
        "name": "photo",
        "status": Status.COMPLETED,
        "result": True,
        "result_confidence": 0.9,
        "raw_file": default_storage.save("uploads/t/raw.dng", ContentFile(b"raw")),
        "image_file": default_storage.save("uploads/t/image.jpg", ContentFile(b"\xff\xd8\xffjpeg")),
        "raw_photo_hash": "0" * 64,
        "image_photo_hash": "1" * 64,
    }
    return Verification.objects.create(account=account, **(defaults | fields))
