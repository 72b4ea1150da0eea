from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from .decode import RawData, preview_image
from .imaging import luma, resize_long, srgb_encode
from .report import AnalysisResult

# Preview vs sensor agreement below this (luma NCC on 96 px thumbnails) means another picture.
PREVIEW_NCC_MIN = 0.3


def layout_verdict(raw: RawData, md: dict[str, Any]) -> tuple[bool, str, float]:
    """Does the file hold one colour sample per photosite, as a camera sensor records it?"""
    software = str(md.get("software") or "")
    model = str(md.get("model") or "")
    if raw.raw_type == "flat":
        if raw.cfa is None or raw.cfa.shape != (2, 2) or len(set(raw.cfa.reshape(-1))) < 3:
            return False, "The RAW data has no recognisable colour-filter mosaic.", 0.8
        return True, "The RAW file holds an untouched Bayer sensor mosaic.", 0.9
    if raw.is_dng:
        by = f" by {software}" if software else ""
        return (
            False,
            "This DNG holds already-demosaiced RGB pixels (LinearRaw, written"
            f"{by}), not the camera's sensor mosaic, so it cannot prove a capture.",
            0.9,
        )
    if raw.white <= 255 or "scan" in (model + " " + software).lower():
        return (
            False,
            f"This file was written by a scanner or holds 8-bit RGB pixels ({model or 'unknown'}),"
            " not a camera sensor mosaic.",
            0.9,
        )
    return (
        True,
        "This camera stores its own pre-processed RGB data rather than a mosaic; the file "
        "decodes consistently, but sensor-level checks are limited.",
        0.6,
    )


def _optical_black(raw: RawData) -> dict[str, Any]:
    if raw.full_raw is None:
        return {}
    top, left = raw.margins
    blocks = []
    if top >= 4:
        blocks.append(raw.full_raw[2 : top - 1, :])
    if left >= 4:
        blocks.append(raw.full_raw[:, 2 : left - 1])
    vals = np.concatenate([b.reshape(-1) for b in blocks if b.size]) if blocks else None
    if vals is None or vals.size < 100:
        return {"masked_border": False}
    return {
        "masked_border": True,
        "masked_mean": float(vals.mean()),
        "masked_std": float(vals.std()),
    }


def _preview_agreement(raw: RawData) -> float | None:
    if not raw.preview:
        return None
    pv = preview_image(raw.preview)
    if pv is None:
        return None
    small, _ = resize_long(raw.rendition, 256)  # agreement is judged at 96 px anyway
    a = luma(srgb_encode(small / max(1e-6, float(np.percentile(small, 99)))))
    b = luma(pv.astype(np.float32) / 255)
    ra, rb = a.shape[1] / a.shape[0], b.shape[1] / b.shape[0]
    if abs(ra - rb) / ra > 0.03:
        return None  # different framing: the comparison would be meaningless
    size = (96, max(8, round(96 / ra)))
    a = cv2.resize(a, size, interpolation=cv2.INTER_AREA)
    b = cv2.resize(b, size, interpolation=cv2.INTER_AREA)
    a, b = a - a.mean(), b - b.mean()
    den = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / den) if den > 0 else None


def analyse_raw_integrity(raw: RawData, md: dict[str, Any], image_sha256: str) -> AnalysisResult:
    ok, explanation, conf = layout_verdict(raw, md)
    mosaic = raw.mosaic if raw.mosaic.ndim == 2 else raw.mosaic[..., :3]
    step = max(1, int(np.sqrt(mosaic.shape[0] * mosaic.shape[1] / 1_000_000)))
    sample = mosaic[::step, ::step]
    data_max = int(sample.max())
    black = float(min(raw.black[:3])) if raw.black else 0.0
    clipped = float((sample >= raw.white * 0.999).mean()) if raw.white else 0.0
    levels_ok = raw.white > black and data_max <= raw.white + 1
    details: dict[str, Any] = {
        "data_layout": raw.raw_type,
        "dng": raw.is_dng,
        "width": mosaic.shape[1],
        "height": mosaic.shape[0],
        "black_level": black,
        "white_level": raw.white,
        "observed_max": data_max,
        "clipped_share": clipped,
        "raw_sha256": raw.sha256,
        "image_sha256": image_sha256,
        **_optical_black(raw),
    }
    if ok and not levels_ok:
        ok, conf = False, 0.85
        explanation = "The RAW's recorded black and white levels do not fit its pixel values."
    agreement = _preview_agreement(raw)
    details["preview_agreement"] = agreement
    details["preview_agreement_min"] = PREVIEW_NCC_MIN
    if ok and agreement is not None and agreement < PREVIEW_NCC_MIN:
        ok, conf = False, 0.8
        explanation = (
            "The preview embedded in the RAW shows a different picture from its sensor data."
        )
    details["explanation"] = explanation
    return AnalysisResult("raw_integrity", ok, conf, details)
