"""What the worker runs once the engine's report is stored: provenance checks.

`after_analysis` never raises: each step runs in its own savepoint, and a step
that fails is logged and skipped, so provenance can only add evidence to a report,
never lose one. It may turn an authentic verdict into not authentic (a body
fingerprint mismatch, a shutter-count contradiction) and it recomputes the
security score.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from lumethic.files import local_copy
from provenance import c2pa, rawio
from provenance.continuity import sequence_conflicts
from provenance.fingerprints import (
    MIN_RAWS,
    fingerprint_add,
    fingerprint_match,
    fingerprint_search,
)
from provenance.models import Attestation, CameraFingerprint
from provenance.selectors import fingerprint_for_body
from provenance.services import attestation_score, attested_claims
from verifications.forensics import prnu
from verifications.models import Verification, VerificationResult

logger = logging.getLogger(__name__)

FIELDS = [
    "result",
    "result_confidence",
    "image_metadata",
    "camera_fingerprint_id",
    "device_fingerprint_id",
    "sequence_number",
    "capture_gps_latitude",
    "capture_gps_longitude",
    "jailbreak_indicators",
    "captured_at",
    "security_score",
    "timings",
    "updated_at",
]


@dataclass
class _State:
    attestation: Attestation | None = None
    green: prnu.GreenData | None = None
    body: tuple[str, str, str] | None = None  # make, model, serial
    body_matched: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def after_analysis(verification: Verification) -> None:
    """Run every provenance step on a freshly completed verification; never raise."""
    state = _State()
    steps: list[tuple[str, Callable[[Verification, _State], None]]] = [
        ("attestation", _apply_attestation),
        ("c2pa", _read_c2pa),
        ("camera_fingerprint", _check_fingerprint),
        ("shutter_count", _check_continuity),
        ("fingerprint_update", _update_fingerprint),
    ]
    for name, step in steps:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                step(verification, state)
        except Exception:
            logger.exception("provenance step %s failed on %s; continuing", name, verification.pk)
        state.timings[f"provenance_{name}"] = round(time.perf_counter() - started, 4)
    try:
        with transaction.atomic():
            verification.security_score = attestation_score(
                state.attestation,
                integrity=verification.integrity_score,
                authentic=verification.result,
            )
            verification.timings = {**(verification.timings or {}), **state.timings}
            verification.save(update_fields=FIELDS)
    except Exception:
        logger.exception("provenance results could not be saved on %s", verification.pk)


# --------------------------------------------------------------------------- steps
def _apply_attestation(verification: Verification, state: _State) -> None:
    """The engine stored what EXIF says; a valid signature outranks EXIF."""
    if verification.attestation_id is None:
        return
    state.attestation = (
        Attestation.objects.select_related("device_key")
        .filter(pk=verification.attestation_id, account_id=verification.account_id)
        .first()
    )
    if state.attestation is None or not state.attestation.validated:
        return
    for name, value in attested_claims(state.attestation).items():
        if value is not None:  # no attested GPS: keep what EXIF said
            setattr(verification, name, value)


def _read_c2pa(verification: Verification, state: _State) -> None:
    with verification.image_file.open("rb") as fh:
        data = fh.read()
    summary = c2pa.read_manifest(data)
    verification.image_metadata = {
        **(verification.image_metadata or {}),
        "c2pa": summary if summary is not None else {"present": False},
    }


def _body(verification: Verification) -> tuple[str, str, str] | None:
    serial = str((verification.raw_metadata or {}).get("body_serial") or "").strip()
    make, model = verification.camera_make.strip(), verification.camera_model.strip()
    return (make, model, serial) if serial and (make or model) else None


def _check_fingerprint(verification: Verification, state: _State) -> None:
    suffix = f".{verification.raw_format.lower() or 'raw'}"
    with local_copy(verification.raw_file.name, suffix) as raw_path:
        state.green = rawio.read_green(raw_path)
    if state.green is None:
        return
    state.body = _body(verification)
    row = _body_fingerprint(verification, state.body)
    if row is not None and row.raw_count >= MIN_RAWS:
        match = fingerprint_match(row, state.green)
        state.body_matched = match.matched()
        if state.body_matched:
            verification.camera_fingerprint_id = str(row.pk)
        _record(verification, row_label(row), row, match)
        return
    # Unknown body (no serial) or one still enrolling: look for the sensor among the others.
    found = fingerprint_search(account=verification.account, data=state.green, exclude=row)
    if found is not None:
        verification.camera_fingerprint_id = str(found.fingerprint.pk)


def _body_fingerprint(
    verification: Verification, body: tuple[str, str, str] | None
) -> CameraFingerprint | None:
    if body is None:
        return None
    make, model, serial = body
    return fingerprint_for_body(account=verification.account, make=make, model=model, serial=serial)


def row_label(row: Any) -> str:
    return f"{row.make} {row.model} #{row.serial}".strip()


def _record(verification: Verification, label: str, row: Any, match: prnu.Match) -> None:
    passed = match.matched()
    inconclusive = not passed and not match.conclusive(row.raw_count)
    if passed:
        explanation = f"The sensor's noise pattern matches the {label} this account has verified."
        confidence = 0.99 if match.pce >= 2 * prnu.PCE_THRESHOLD else 0.95
    elif inconclusive:
        # Too dark or too finely textured to see the sensor: say so rather than guess.
        passed, confidence = True, 0.5
        explanation = (
            f"This photo is too dark or too finely textured for its sensor noise pattern to be "
            f"compared with the {label}'s fingerprint; the check is inconclusive."
        )
    else:
        explanation = (
            f"The RAW claims to come from the {label}, but its sensor noise pattern does not "
            "match that camera's fingerprint: it was probably taken with another camera."
        )
        confidence = 0.95 if match.pce < prnu.PCE_THRESHOLD / 3 else 0.8
    details = {
        "pce": round(match.pce, 2),
        "threshold": prnu.PCE_THRESHOLD,
        "correlation": round(match.correlation, 5),
        "shift": list(match.shift),
        "aligned": match.aligned,
        "signal": round(match.signal / 1e6, 1),
        "signal_needed": round(prnu.INFORMATIVE_SIGNAL * max(1.0, 10 / row.raw_count) / 1e6, 1),
        "inconclusive": inconclusive,
        "fingerprint_id": str(row.pk),
        "fingerprint_raws": row.raw_count,
        "body": label,
        "explanation": explanation,
    }
    _put_result(verification, "camera_fingerprint", passed, confidence, details)


def _check_continuity(verification: Verification, state: _State) -> None:
    conflicts = sequence_conflicts(verification, body=_body(verification))
    if not conflicts:
        return
    first = conflicts[0]
    explanation = (
        f"Shutter count {verification.sequence_number} contradicts "
        f"“{first['name']}” ({first['short_code']}): count {first['sequence_number']} "
        f"at {first['captured_at']}. Counts only grow with time on one camera."
    )
    existing = verification.results.filter(verificator_id="exif_consistency").first()
    details = dict(existing.details) if existing else {}
    details.update(sequence_conflicts=conflicts, sequence_explanation=explanation)
    if not existing:
        details["explanation"] = explanation
    _put_result(verification, "exif_consistency", False, 0.95, details)


def _update_fingerprint(verification: Verification, state: _State) -> None:
    """Only RAWs verified authentic, and matching once the fingerprint is established."""
    if not verification.result or state.green is None or state.body is None:
        return
    row = _body_fingerprint(verification, state.body)
    if row is not None and row.raw_count >= MIN_RAWS and not state.body_matched:
        return
    make, model, serial = state.body
    fingerprint_add(
        account=verification.account,
        make=make,
        model=model,
        serial=serial,
        data=state.green,
        raw_sha256=verification.raw_photo_hash,
    )


# --------------------------------------------------------------------------- results
def _put_result(
    verification: Verification, verificator: str, passed: bool, confidence: float, details: dict
) -> None:
    """Create or replace one analysis; a failure makes the verdict not authentic."""
    existing = verification.results.filter(verificator_id=verificator).first()
    if existing is None:
        last = verification.results.order_by("-position").first()
        existing = VerificationResult(
            verification=verification,
            verificator_id=verificator,
            position=(last.position + 1) if last else 0,
        )
    existing.result = passed
    existing.confidence_score = confidence
    existing.details = details
    existing.save()
    if not passed and verification.result is not False:
        verification.result = False
        verification.result_confidence = confidence
