"""Writes on verifications: create from an upload, delete, re-run."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import ErrorDetail, PermissionDenied

from lumethic.api.errors import PaymentRequired, RequestValidationError
from lumethic.models import Account, User
from lumethic.services import usage_release, usage_reserve
from provenance.models import Attestation
from provenance.services import attestation_fields, attestation_for_verification
from verifications.models import Status, Verification
from verifications.sniffing import SniffError, sniff_jpeg, sniff_raw

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def display_name(filename: str) -> str:
    """A safe display name from a client file name (its stem, no path parts)."""
    base = PurePath(filename.replace("\\", "/")).name
    stem = os.path.splitext(base)[0]
    stem = _UNSAFE.sub(" ", stem).strip(" .")
    return stem[:200] or "Untitled"


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(1024 * 1024):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _invalid(field: str, msg: str, type_: str = "value_error") -> RequestValidationError:
    return RequestValidationError({field: [ErrorDetail(msg, code=type_)]}, "body")


def _store(upload: UploadedFile, *, account: Account, ext: str) -> str:
    # Random server-side names: the client's file name never reaches a path.
    name = f"uploads/{account.pk}/{secrets.token_hex(16)}.{ext}"
    upload.seek(0)
    return default_storage.save(name, upload)


def enqueue(verification_id: uuid.UUID) -> None:
    from django_q.tasks import async_task

    async_task(
        "verifications.tasks.run_verification",
        str(verification_id),
        task_name=f"verify-{verification_id}",
        group="verifications",
    )


def verification_create(
    *,
    account: Account,
    user: User | None,
    raw: UploadedFile | None,
    image: UploadedFile | None,
    attestation_id: uuid.UUID | None = None,
) -> Verification:
    missing = {
        field: [ErrorDetail("Field required.", code="missing")]
        for field, value in (("raw", raw), ("image", image))
        if value is None
    }
    if missing:
        raise RequestValidationError(missing, "body")
    attestation = None
    if attestation_id is not None:  # unknown or another account's: 404
        attestation = attestation_for_verification(account=account, attestation_id=attestation_id)

    if not usage_reserve(account=account):
        raise PaymentRequired(
            "Your plan's monthly verifications are used up"
            + (
                " and the overage budget is reached."
                if account.is_paid
                else "; upgrade to continue."
            )
        )
    try:
        return _create_reserved(
            account=account, user=user, raw=raw, image=image, attestation=attestation
        )
    except BaseException:
        usage_release(account=account)
        raise


def _create_reserved(
    *,
    account: Account,
    user: User | None,
    raw: UploadedFile,
    image: UploadedFile,
    attestation: Attestation | None = None,
) -> Verification:
    try:
        raw_format = sniff_raw(raw)
    except SniffError as exc:
        raise _invalid("raw", str(exc), "file_type") from None
    try:
        sniff_jpeg(image, max_pixels=settings.MAX_IMAGE_PIXELS)
    except SniffError as exc:
        raise _invalid("image", str(exc), "file_type") from None

    raw_hash, image_hash = sha256_of(raw), sha256_of(image)
    # 422 "file hash mismatch" when the attestation is for another RAW (a replay).
    attested = (
        attestation_fields(attestation=attestation, raw_sha256=raw_hash) if attestation else {}
    )
    raw_name = _store(raw, account=account, ext=raw_format.lower())
    try:
        image_name = _store(image, account=account, ext="jpg")
    except BaseException:
        default_storage.delete(raw_name)
        raise
    try:
        with transaction.atomic():
            verification = Verification.objects.create(
                account=account,
                created_by=user,
                name=display_name(image.name or "image"),
                status=Status.QUEUED,
                raw_file=raw_name,
                image_file=image_name,
                raw_filename=display_name(raw.name or "raw")[:255],
                image_filename=display_name(image.name or "image")[:255],
                raw_format=raw_format,
                raw_size=raw.size or 0,
                image_size=image.size or 0,
                raw_photo_hash=raw_hash,
                image_photo_hash=image_hash,
                **attested,
            )
            transaction.on_commit(lambda: enqueue(verification.pk))
    except BaseException:
        default_storage.delete(raw_name)
        default_storage.delete(image_name)
        raise
    return verification


class VerificationLocked(PermissionDenied):
    default_detail = "This verification cannot be deleted."


def verification_delete(*, verification: Verification) -> None:
    from marketplace.selectors import verification_has_paid_sales

    if verification_has_paid_sales(verification=verification):
        # Buyers hold licences on this photo; deleting it would break their downloads.
        raise VerificationLocked(
            "This photo has been sold under licence, so it cannot be deleted; "
            "deactivate its listing instead."
        )
    names = [
        f.name
        for f in (
            verification.raw_file,
            verification.image_file,
            verification.thumbnail,
            verification.rendition_image,
            verification.heatmap_image,
        )
        if f
    ]
    verification.delete()
    for name in names:
        transaction.on_commit(lambda n=name: default_storage.delete(n))


def verification_rerun(*, verification: Verification) -> None:
    """Queue a verification again (admin action), keeping its files."""
    updated = (
        Verification.objects.filter(pk=verification.pk)
        .exclude(status=Status.IN_PROGRESS)
        .update(status=Status.QUEUED, attempts=0, failure_reason=None, stage="")
    )
    if not updated:
        raise Http404("The verification is being analysed right now.")
    transaction.on_commit(lambda: enqueue(verification.pk))
