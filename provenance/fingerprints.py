"""Camera-body fingerprints: stored PRNU estimates, matching and enrolment."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from lumethic.models import Account
from provenance.models import CameraFingerprint
from provenance.selectors import fingerprints_usable
from verifications.forensics import prnu

logger = logging.getLogger(__name__)

MIN_RAWS = 5  # below this a fingerprint is still enrolling: it can match, never fail a RAW
MAX_RAWS = 50  # past this the estimate hardly improves; stop rewriting the file


@dataclass
class BodyMatch:
    fingerprint: CameraFingerprint
    match: prnu.Match


def fingerprint_load(row: CameraFingerprint) -> prnu.Fingerprint:
    with default_storage.open(row.file.name, "rb") as fh:
        return prnu.Fingerprint.from_bytes(fh.read())


def fingerprint_match(row: CameraFingerprint, data: prnu.GreenData) -> prnu.Match:
    return prnu.pce(data, fingerprint_load(row))


def fingerprint_search(
    *, account: Account, data: prnu.GreenData, exclude: CameraFingerprint | None = None
) -> BodyMatch | None:
    """The account's best-matching established fingerprint, when one passes the threshold."""
    best: BodyMatch | None = None
    for row in fingerprints_usable(account=account, min_raws=MIN_RAWS):
        if exclude is not None and row.pk == exclude.pk:
            continue
        try:
            match = fingerprint_match(row, data)
        except (OSError, ValueError):
            logger.warning("fingerprint %s unreadable", row.pk)
            continue
        if match.matched() and (best is None or match.pce > best.match.pce):
            best = BodyMatch(row, match)
    return best


def fingerprint_add(
    *, account: Account, make: str, model: str, serial: str, data: prnu.GreenData, raw_sha256: str
) -> CameraFingerprint | None:
    """Fold one verified RAW into its body's fingerprint (creating it); None if not added."""
    with transaction.atomic():
        row = (
            CameraFingerprint.objects.select_for_update()
            .filter(account=account, make=make, model=model, serial=serial)
            .first()
        )
        if row is not None and (raw_sha256 in row.raw_hashes or row.raw_count >= MAX_RAWS):
            return None
        if row is None:
            row = CameraFingerprint.objects.create(
                account=account, make=make, model=model, serial=serial
            )
            estimate = prnu.Fingerprint.start(data)
        else:
            estimate = fingerprint_load(row)
            if not estimate.compatible(data):  # another frame mode of the body: skip it
                return None
        estimate.add(data)
        old = row.file.name
        name = f"fingerprints/{account.pk}/{row.pk}-{estimate.count}.npz"
        if default_storage.exists(name):
            default_storage.delete(name)
        row.file = default_storage.save(name, ContentFile(estimate.to_bytes()))
        row.raw_count = estimate.count
        row.raw_hashes = [*row.raw_hashes, raw_sha256]
        row.save(update_fields=["file", "raw_count", "raw_hashes", "updated_at"])
        if old and old != row.file.name:
            transaction.on_commit(lambda: default_storage.delete(old))
    return row
