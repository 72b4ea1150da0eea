"""Shape a verification for the report page: words, figures and tables.

Pure formatting of what the engine stored; no verdicts are made here.
"""

from __future__ import annotations

from typing import Any

from verifications.models import Status, Verification

ANALYSIS_TITLES = {
    "raw_integrity": "RAW file integrity",
    "exif_consistency": "Camera metadata agreement",
    "sensor_pattern": "Sensor noise pattern",
    "rendition_similarity": "The JPEG matches the RAW",
    "local_tamper": "Local changes",
    "histogram": "Tones and colours",
    "recapture": "Screen or print recapture",
}
# Identity and exposure fields that an honest JPEG carries over from its RAW.
COMPARED_FIELDS = (
    "make",
    "model",
    "body_serial",
    "lens",
    "capture_time",
    "exposure_time",
    "f_number",
    "iso",
    "focal_length",
)
METADATA_ORDER = (
    *COMPARED_FIELDS,
    "width",
    "height",
    "orientation",
    "software",
    "modify_time",
)
FIELD_LABELS = {
    "body_serial": "Body serial",
    "f_number": "Aperture (f/)",
    "iso": "ISO",
    "exposure_time": "Exposure time (s)",
    "focal_length": "Focal length (mm)",
    "sha256": "SHA-256",
    "cfa_pattern": "CFA pattern",
    "dng": "DNG",
}
HIDDEN_FIGURES = {"explanation", "raw_sha256", "image_sha256"}
PENDING = (Status.PENDING, Status.QUEUED, Status.IN_PROGRESS)


def label(key: str) -> str:
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        shown = ", ".join(fmt(v) for v in value[:8])
        return f"[{shown}{', …' if len(value) > 8 else ''}]"
    if isinstance(value, dict):
        return "; ".join(f"{label(str(k))}: {fmt(v)}" for k, v in list(value.items())[:8])
    return str(value)


def verdict(v: Verification) -> dict[str, str]:
    """The banner: a word for the state and a CSS tone."""
    if v.status == Status.COMPLETED:
        if v.result:
            return {"word": "Authentic", "tone": "ok"}
        return {"word": "Not authentic", "tone": "bad"}
    if v.status == Status.FAILED:
        return {"word": "Could not be verified", "tone": "failed"}
    return {"word": "Verifying…", "tone": "wait"}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 0.02 * max(abs(float(a)), abs(float(b)), 1e-9)
    return str(a).strip().lower() == str(b).strip().lower()


def metadata_rows(raw: dict, image: dict) -> list[dict]:
    keys = [k for k in METADATA_ORDER if k in raw or k in image]
    keys += sorted((set(raw) | set(image)) - set(keys))
    rows = []
    for key in keys:
        a, b = raw.get(key), image.get(key)
        mismatch = (
            key in COMPARED_FIELDS
            and (a is None) != (b is None)
            or (key in COMPARED_FIELDS and a is not None and b is not None and not _same(a, b))
        )
        rows.append({"label": label(key), "raw": fmt(a), "image": fmt(b), "mismatch": mismatch})
    return rows


def analysis_cards(v: Verification) -> list[dict]:
    cards = []
    for r in v.results.all():
        details = r.details or {}
        figures = [(label(k), fmt(val)) for k, val in details.items() if k not in HIDDEN_FIGURES]
        cards.append(
            {
                "id": r.verificator_id,
                "title": ANALYSIS_TITLES.get(r.verificator_id, label(r.verificator_id)),
                "passed": r.result,
                "confidence": percent(r.confidence_score),
                "explanation": details.get("explanation") or "",
                "figures": figures,
            }
        )
    return cards


def recipe_lines(geometry: dict, corrected: dict) -> list[str]:
    """The inferred edits as a photographer would describe them."""
    lines: list[str] = []
    if geometry.get("summary"):
        lines.append(f"Framing: {geometry['summary']}.")
    ev = corrected.get("exposure_ev")
    if isinstance(ev, int | float) and abs(ev) >= 0.05:
        lines.append(f"Exposure {'raised' if ev > 0 else 'lowered'} by {abs(ev):.1f} stops.")
    gains = corrected.get("wb_gains")
    if (
        isinstance(gains, list)
        and len(gains) == 3
        and all(isinstance(g, int | float) for g in gains)
    ):
        warmth = float(gains[0]) - float(gains[2])
        if abs(warmth) >= 0.03:
            lines.append(f"White balance made {'warmer' if warmth > 0 else 'cooler'}.")
    sat = corrected.get("saturation")
    if isinstance(sat, int | float) and abs(sat - 1) >= 0.03:
        lines.append(
            f"Saturation {'increased' if sat > 1 else 'reduced'} by {abs(sat - 1) * 100:.0f} %."
        )
    if corrected.get("summary"):
        lines.append(f"Overall: {corrected['summary']}.")
    return lines


def region_rows(v: Verification) -> list[dict]:
    rows = []
    for index, region in enumerate(v.regions or [], start=1):
        box = region.get("box") or [0, 0, 0, 0]
        if len(box) != 4:
            continue
        x0, y0, x1, y1 = (int(c) for c in box)
        rows.append(
            {
                "n": index,
                "x": x0,
                "y": y0,
                "w": max(x1 - x0, 1),
                "h": max(y1 - y0, 1),
                "area": f"{float(region.get('area_share') or 0) * 100:.2f} %",
                "kind": str(region.get("kind") or "altered"),
            }
        )
    return rows


def frame_size(v: Verification, regions: list[dict]) -> tuple[int, int]:
    """The displayed image's size (the engine stores it after EXIF orientation),
    which is the coordinate space of region boxes."""
    meta = v.image_metadata or {}
    width, height = meta.get("width"), meta.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    return (
        max((r["x"] + r["w"] for r in regions), default=1),
        max((r["y"] + r["h"] for r in regions), default=1),
    )
