"""Submitting RAWs through the real API and worker pipeline, with a stand-in engine report.

The forensic engine has its own tests; here its report is fixed so that each test
controls exactly what provenance sees (body, capture time, shutter count, verdict)
and runs in milliseconds. One test per feature also runs the real engine.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from verifications.engine_runner import EngineOutcome
from verifications.models import Verification

BODY = {"make": "Lumethic", "model": "SynthCam 1", "body_serial": "000123"}


def small_jpeg(data: bytes | None = None) -> bytes:
    if data is not None:
        return data
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 130, 140)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def report(
    *,
    result: bool = True,
    capture_time: str = "2024:06:01 12:00:00",
    image_number: int | None = None,
    integrity: float = 0.8,
    **meta: Any,
) -> dict[str, Any]:
    raw_md = {**BODY, "capture_time": capture_time, **meta}
    raw_md = {k: v for k, v in raw_md.items() if v is not None}
    if image_number is not None:
        raw_md["image_number"] = image_number
    analyses = [
        {
            "verificator": name,
            "result": True,
            "confidence_score": 0.9,
            "details": {"explanation": "ok"},
        }
        for name in ("raw_integrity", "exif_consistency", "sensor_pattern")
    ]
    if not result:
        analyses.append(
            {"verificator": "local_tamper", "result": False, "confidence_score": 0.9, "details": {}}
        )
    return {
        "result": result,
        "result_confidence": 0.9,
        "analyses": analyses,
        "raw_metadata": raw_md,
        "image_metadata": {"width": 64, "height": 48},
        "sequence_number": image_number,
        "integrity_score": integrity,
        "images": {},
    }


def submit(
    persona,  # noqa: ANN001
    process,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
    raw: Path,
    *,
    jpeg: bytes | None = None,
    attestation_id: str | None = None,
    **report_kw: Any,
) -> Verification:
    """Create through the API, then run the worker pipeline with a fixed engine report."""
    outcome = EngineOutcome("report", report=report(**report_kw), seconds=0.01)
    monkeypatch.setattr("verifications.pipeline.run_engine", lambda *a, **k: outcome)
    body: dict[str, Any] = {
        "raw": ContentFile(raw.read_bytes(), name=raw.name),
        "image": ContentFile(small_jpeg(jpeg), name="photo.jpg"),
    }
    if attestation_id:
        body["attestation_id"] = attestation_id
    response = persona.client.post("/v1/verifications/", body, format="multipart")
    assert response.status_code == 201, response.content
    assert process(response.json()["id"]) == "completed"
    return Verification.objects.get(pk=response.json()["id"])


def result_of(verification: Verification, verificator: str):  # noqa: ANN201
    return verification.results.filter(verificator_id=verificator).first()
