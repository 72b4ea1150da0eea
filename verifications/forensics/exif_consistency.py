from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from .report import AnalysisResult

# Capture times may differ by sub-second rounding or a converter rewriting the field.
TIME_TOLERANCE_S = 2.0
NUMERIC_TOLERANCE = 0.02
_NUMERIC = ("exposure_time", "f_number", "iso", "focal_length")
_TEXT = ("make", "model", "body_serial", "lens")


def _norm_text(v: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(v).lower())


def _parse_time(v: Any) -> datetime | None:
    s = str(v or "").strip()
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(s[:19], fmt)
        except ValueError:
            continue
    return None


def _text_agrees(a: Any, b: Any) -> bool:
    na, nb = _norm_text(a), _norm_text(b)
    # Makers abbreviate differently ("NIKON CORPORATION" vs "NIKON"): containment is agreement.
    return bool(na) and bool(nb) and (na in nb or nb in na)


def analyse_exif_consistency(raw_md: dict[str, Any], img_md: dict[str, Any]) -> AnalysisResult:
    compared: list[str] = []
    contradictions: list[str] = []
    for key in _TEXT:
        if raw_md.get(key) and img_md.get(key):
            compared.append(key)
            if not _text_agrees(raw_md[key], img_md[key]):
                contradictions.append(f"{key}: RAW '{raw_md[key]}' vs image '{img_md[key]}'")
    for key in _NUMERIC:
        a, b = raw_md.get(key), img_md.get(key)
        if isinstance(a, int | float) and isinstance(b, int | float) and a > 0 and b > 0:
            compared.append(key)
            if abs(a - b) / max(a, b) > NUMERIC_TOLERANCE:
                contradictions.append(f"{key}: RAW {a:g} vs image {b:g}")
    t_raw, t_img = _parse_time(raw_md.get("capture_time")), _parse_time(img_md.get("capture_time"))
    if t_raw and t_img:
        compared.append("capture_time")
        if abs((t_raw - t_img).total_seconds()) > TIME_TOLERANCE_S:
            contradictions.append(f"capture_time: RAW {t_raw} vs image {t_img}")
    t_mod = _parse_time(img_md.get("modify_time"))
    if t_raw and t_mod and (t_raw - t_mod).total_seconds() > 86400:
        contradictions.append(
            f"image edited ({t_mod}) a day or more before the RAW was taken ({t_raw})"
        )
    exif_present = bool(img_md.get("exif_present"))
    ok = not contradictions
    if not ok:
        conf = min(0.97, 0.8 + 0.05 * len(contradictions))
        explanation = "The image's camera data contradicts the RAW's (" + contradictions[0] + ")."
    elif not exif_present:
        conf = 0.5
        explanation = "The image carries no camera data, so it cannot be matched to the RAW's."
    elif len(compared) < 3:
        conf = 0.6
        explanation = "The little camera data the image keeps agrees with the RAW's."
    else:
        conf = min(0.95, 0.7 + 0.04 * len(compared))
        explanation = "Camera, lens, exposure and capture time in the image agree with the RAW."
    details = {
        "fields_compared": compared,
        "contradictions": contradictions,
        "image_exif_present": exif_present,
        "image_software": img_md.get("software"),
        "time_tolerance_s": TIME_TOLERANCE_S,
        "numeric_tolerance": NUMERIC_TOLERANCE,
        "explanation": explanation,
    }
    return AnalysisResult("exif_consistency", ok, conf, details)
