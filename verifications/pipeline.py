"""The worker's side of a verification: claim, analyse in a sandbox, store.

Claims are conditional UPDATEs, so two workers never run the same row; a
heartbeat lets the reaper tell a dead worker from a slow file.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lumethic.files import local_copy
from provenance.pipeline_hooks import after_analysis
from verifications.engine_runner import EngineOutcome, run_engine
from verifications.models import Status, Verification, VerificationResult

logger = logging.getLogger(__name__)
DERIVED = {"thumbnail": "thumbnail", "registered": "rendition_image", "heatmap": "heatmap_image"}


def verification_claim(*, verification_id: str) -> Verification | None:
    now = timezone.now()
    claimed = Verification.objects.filter(pk=verification_id, status=Status.QUEUED).update(
        status=Status.IN_PROGRESS,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=now,
        stage="analysing",
    )
    return Verification.objects.get(pk=verification_id) if claimed else None


def _heartbeat(verification_id: object) -> None:
    Verification.objects.filter(pk=verification_id, status=Status.IN_PROGRESS).update(
        heartbeat_at=timezone.now()
    )


def verification_fail(*, verification: Verification, reason: str) -> None:
    Verification.objects.filter(pk=verification.pk).update(
        status=Status.FAILED,
        failure_reason=reason,
        result=None,
        result_confidence=None,
        completed_at=timezone.now(),
        stage="",
    )


def verification_requeue(*, verification: Verification) -> bool:
    from verifications.services import enqueue

    updated = Verification.objects.filter(pk=verification.pk, status=Status.IN_PROGRESS).update(
        status=Status.QUEUED, stage=""
    )
    if updated:
        transaction.on_commit(lambda: enqueue(verification.pk))
    return bool(updated)


def verification_process(*, verification_id: str) -> str:
    verification = verification_claim(verification_id=verification_id)
    if verification is None:
        return "not claimed"
    if verification.attempts > settings.ENGINE_MAX_ATTEMPTS:
        verification_fail(verification=verification, reason=_poison_reason())
        return "failed"
    outcome = _analyse(verification)
    if outcome.kind == "report":
        _store_report(verification, outcome)
        return "completed"
    if outcome.kind == "crashed" and verification.attempts < settings.ENGINE_MAX_ATTEMPTS:
        logger.warning(
            "engine crashed on %s (attempt %s): %s",
            verification.pk,
            verification.attempts,
            outcome.reason,
        )
        verification_requeue(verification=verification)
        return "requeued"
    reason = outcome.reason
    if outcome.kind == "crashed":
        reason = f"{reason} It failed {verification.attempts} times, so we stopped trying."
    verification_fail(verification=verification, reason=reason)
    return "failed"


def _poison_reason() -> str:
    return (
        f"The analysis stopped unexpectedly {settings.ENGINE_MAX_ATTEMPTS} times on these files, "
        "so we stopped trying. The RAW file may be damaged or hostile."
    )


def _analyse(verification: Verification) -> EngineOutcome:
    suffix = f".{verification.raw_format.lower() or 'raw'}"
    with (
        tempfile.TemporaryDirectory(prefix="lumethic-out-") as out,
        local_copy(verification.raw_file.name, suffix) as raw_path,
        local_copy(verification.image_file.name, ".jpg") as image_path,
    ):
        outcome = run_engine(
            raw_path, image_path, Path(out), on_tick=lambda: _heartbeat(verification.pk)
        )
        if outcome.kind == "report":
            _save_images(verification, outcome.report.get("images") or {})
    return outcome


def _save_images(verification: Verification, images: dict) -> None:
    for key, field_name in DERIVED.items():
        path = images.get(key)
        if not path or not Path(path).is_file():
            continue
        ext = Path(path).suffix or ".jpg"
        name = f"derived/{verification.account_id}/{verification.pk}/{key}{ext}"
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(path, "rb") as fh:
            stored = default_storage.save(name, File(fh))
        setattr(verification, field_name, stored)


def _float_or_none(value: object) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _captured_at(meta: dict) -> dt.datetime | None:
    value = meta.get("capture_time") or meta.get("datetime_original")
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value.replace(":", "-", 2) if value[4:5] == ":" else value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


@transaction.atomic
def _store_report(verification: Verification, outcome: EngineOutcome) -> None:
    report = outcome.report
    raw_meta = report.get("raw_metadata") or {}
    verification.status = Status.COMPLETED
    verification.result = bool(report.get("result"))
    verification.result_confidence = _float_or_none(report.get("result_confidence"))
    verification.failure_reason = None
    verification.raw_metadata = raw_meta
    verification.image_metadata = report.get("image_metadata") or {}
    verification.rendition_info = report.get("rendition_info") or {}
    verification.rendition_corrected_info = report.get("rendition_corrected_info") or {}
    verification.regions = report.get("regions") or []
    verification.timings = {
        **(report.get("timings") or {}),
        "total_wall": round(outcome.seconds, 3),
    }
    verification.camera_make = str(raw_meta.get("make") or "")[:100]
    verification.camera_model = str(raw_meta.get("model") or "")[:100]
    verification.sequence_number = report.get("sequence_number")
    verification.capture_gps_latitude = _float_or_none(report.get("capture_gps_latitude"))
    verification.capture_gps_longitude = _float_or_none(report.get("capture_gps_longitude"))
    verification.device_fingerprint_id = report.get("device_fingerprint_id")
    verification.integrity_score = _float_or_none(report.get("integrity_score"))
    verification.captured_at = _captured_at(raw_meta)
    verification.completed_at = timezone.now()
    verification.stage = ""
    verification.save()
    verification.results.all().delete()
    VerificationResult.objects.bulk_create(
        VerificationResult(
            verification=verification,
            verificator_id=str(item.get("verificator")),
            result=bool(item.get("result")),
            confidence_score=_float_or_none(item.get("confidence_score")) or 0.0,
            details=item.get("details") or {},
            position=index,
        )
        for index, item in enumerate(report.get("analyses") or [])
    )
    # Camera identity and provenance (never raises: it can only add evidence).
    after_analysis(verification)


def verifications_reap(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Requeue or fail rows whose worker went silent; re-enqueue forgotten queued rows."""
    from verifications.services import enqueue

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.STALE_AFTER_SECONDS)
    counts = {"requeued": 0, "failed": 0, "reenqueued": 0}
    for verification in Verification.objects.filter(
        status=Status.IN_PROGRESS, heartbeat_at__lt=stale
    ):
        if verification.attempts >= settings.ENGINE_MAX_ATTEMPTS:
            failed = Verification.objects.filter(
                pk=verification.pk, status=Status.IN_PROGRESS, heartbeat_at__lt=stale
            ).update(
                status=Status.FAILED, failure_reason=_poison_reason(), completed_at=now, stage=""
            )
            counts["failed"] += failed
        else:
            requeued = Verification.objects.filter(
                pk=verification.pk, status=Status.IN_PROGRESS, heartbeat_at__lt=stale
            ).update(status=Status.QUEUED, stage="")
            if requeued:
                enqueue(verification.pk)
            counts["requeued"] += requeued
    # A row queued long ago may have lost its task (broker flushed); the claim
    # is conditional, so a duplicate task is harmless.
    forgotten = now - dt.timedelta(seconds=settings.STALE_AFTER_SECONDS * 5)
    for pk in Verification.objects.filter(
        status=Status.QUEUED, updated_at__lt=forgotten
    ).values_list("pk", flat=True):
        Verification.objects.filter(pk=pk).update(updated_at=now)
        enqueue(pk)
        counts["reenqueued"] += 1
    return counts
