"""What the public share page shows, in people's words, from a verification.

Only fields meant for the public leave here: no file names of the RAW, no
owner e-mail, no GPS unless the owner opted in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifications.models import Verification

ANALYSIS_LABELS = {
    "raw_integrity": "The RAW is a genuine camera file",
    "exif_consistency": "Camera data matches",
    "rendition_similarity": "The picture comes from the RAW",
    "local_tamper": "No local edits",
    "histogram": "Tones and colours",
}


@dataclass
class AnalysisRow:
    label: str
    passed: bool
    confidence: int
    explanation: str


@dataclass
class Facts:
    camera: str = ""
    lens: str = ""
    captured_at: object = None
    exposure: list[str] = field(default_factory=list)


def analysis_rows(verification: Verification) -> list[AnalysisRow]:
    rows = []
    for result in verification.results.all():
        details = result.details if isinstance(result.details, dict) else {}
        label = ANALYSIS_LABELS.get(
            result.verificator_id, result.verificator_id.replace("_", " ").capitalize()
        )
        rows.append(
            AnalysisRow(
                label=label,
                passed=bool(result.result),
                confidence=round(100 * float(result.confidence_score or 0)),
                explanation=str(details.get("explanation") or ""),
            )
        )
    return rows


def _fmt_exposure(meta: dict) -> list[str]:
    out = []
    t = meta.get("exposure_time")
    if isinstance(t, int | float) and t > 0:
        out.append(f"1/{round(1 / t)} s" if t < 1 else f"{t:g} s")
    elif isinstance(t, str) and t:
        out.append(f"{t} s")
    f = meta.get("f_number")
    if isinstance(f, int | float) and f > 0:
        out.append(f"f/{f:g}")
    focal = meta.get("focal_length")
    if isinstance(focal, int | float) and focal > 0:
        out.append(f"{focal:g} mm")
    iso = meta.get("iso")
    if isinstance(iso, int | float) and iso > 0:
        out.append(f"ISO {iso:g}")
    return out


def facts(verification: Verification) -> Facts:
    meta = verification.raw_metadata if isinstance(verification.raw_metadata, dict) else {}
    make, model = verification.camera_make.strip(), verification.camera_model.strip()
    camera = model if make and model.lower().startswith(make.lower()) else f"{make} {model}"
    return Facts(
        camera=camera.strip(),
        lens=str(meta.get("lens") or "").strip(),
        captured_at=verification.captured_at,
        exposure=_fmt_exposure(meta),
    )


def recipe(verification: Verification) -> dict:
    """The inferred edit: geometry (crop, rotation, resize) and tone/colour."""
    geometry = verification.rendition_info if isinstance(verification.rendition_info, dict) else {}
    tone = (
        verification.rendition_corrected_info
        if isinstance(verification.rendition_corrected_info, dict)
        else {}
    )
    items = []
    if geometry.get("summary"):
        items.append(("Framing", str(geometry["summary"])))
    if tone.get("summary"):
        items.append(("Colour and tone", str(tone["summary"])))
    sat = tone.get("saturation")
    if isinstance(sat, int | float):
        items.append(("Saturation", f"{round(100 * sat)} % of the plain RAW rendering"))
    return {"items": items, "registered": bool(geometry.get("registered", bool(tone)))}


def verdict_text(verification: Verification) -> tuple[str, str]:
    if verification.result:
        return (
            "Verified authentic",
            "This JPEG is an honest rendition of its camera RAW: only global edits "
            "(framing, exposure, colour, tone) separate them.",
        )
    return (
        "Not verified",
        "This JPEG does not match its camera RAW the way an honest edit would. "
        "See which checks failed below.",
    )
