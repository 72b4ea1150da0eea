from __future__ import annotations

from typing import Any

import numpy as np

from .imaging import blur, luma, ssim_map
from .report import AnalysisResult

# Honest edits (JPEG q60, sharpening, denoise, a different converter) keep the global SSIM of
# the recipe prediction above ~0.8 on our calibration set; another picture falls far below.
SSIM_MIN = 0.6
COVERAGE_MIN = 0.5  # share of the image frame the RAW must cover (the rest is expansion)
# The grain comparison trusts the prediction's grain only when the recipe models the picture
# closely: a badly fitted colour matrix mixes the channels' noise into something else (an
# honest local shadows/highlights edit reached SSIM 0.88, recipe residual 10.8; every burst
# frame and honest rendition on the bench whose grain decided stayed >= 0.96 and <= 5).
GRAIN_SSIM_MIN = 0.95
GRAIN_RESIDUAL_MAX = 6.0
# A strong push multiplies the rounding and demosaicing differences between two converters
# as much as any noise: an honest +2 EV rendition reached floor 0.92 / R2 0.61, inside the
# range of another exposure. Burst frames on the bench need -0.4..+1.0 EV of recipe.
GRAIN_MAX_PUSH_EV = 1.5


def structure_maps(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Local SSIM of lightly blurred luma: blur drops noise and JPEG grain both sides differ in."""
    a = blur(luma(pred), 0.8)
    b = blur(luma(target), 0.8)
    return ssim_map(a, b, sigma=2.0)


def analyse_rendition_similarity(
    registered: bool,
    reason: str,
    ssim: np.ndarray | None,
    valid: np.ndarray | None,
    summary: dict[str, Any],
    grain: dict[str, Any] | None = None,
    coefficients: dict[str, Any] | None = None,
) -> AnalysisResult:
    if not registered or ssim is None or valid is None:
        details = {
            "registered": False,
            "ssim_min": SSIM_MIN,
            "explanation": f"The picture in the image could not be found in the RAW ({reason}).",
        }
        return AnalysisResult("rendition_similarity", False, 0.9, details)
    coverage = float(valid.mean())
    mean = float(ssim[valid].mean()) if valid.any() else 0.0
    p05 = float(np.percentile(ssim[valid], 5)) if valid.any() else 0.0
    grain = grain or {}
    coefficients = coefficients or {}
    # Same picture, other exposure: only decides when the grain comparison was conclusive.
    residual = summary.get("residual")
    push = abs(float(summary.get("exposure_ev") or 0.0))
    grain_decides = (
        mean >= GRAIN_SSIM_MIN
        and (residual is None or float(residual) <= GRAIN_RESIDUAL_MAX)
        and push <= GRAIN_MAX_PUSH_EV
    )
    by_grain = bool(grain.get("conclusive") and grain.get("different_exposure"))
    by_coefficients = bool(
        coefficients.get("conclusive") and coefficients.get("different_exposure")
    )
    other_exposure = bool(grain_decides and (by_grain or by_coefficients))
    matches = mean >= SSIM_MIN and coverage >= COVERAGE_MIN
    ok = matches and not other_exposure
    if matches and other_exposure:
        explanation = (
            "The image's fine grain is not this RAW's noise: it was made from another "
            "exposure, e.g. another frame of a burst."
        )
    elif ok:
        explanation = (
            "After the inferred global edits, the RAW's rendering matches the image closely."
        )
    elif coverage < COVERAGE_MIN:
        explanation = "Much of the image lies outside the RAW's frame."
    else:
        explanation = (
            "Even after the best global edits, the image does not look like the RAW's picture."
        )
    margin = abs(mean - SSIM_MIN)
    conf = float(np.clip(0.6 + 1.5 * margin, 0.6, 0.97))
    if matches and other_exposure:
        # Confidence from how far the deciding figure lies beyond its bar.
        if by_coefficients:
            excess = float(coefficients.get("flat_miss_levels", 0.0)) - float(
                coefficients.get("min_flat_miss", 0.0)
            )
        else:
            excess = float(grain.get("grain_residual_floor", 0.0)) - float(
                grain.get("min_residual_floor", 0.0)
            )
        conf = float(np.clip(0.65 + excess, 0.65, 0.9))
    details = {
        "registered": True,
        "ssim_mean": mean,
        "ssim_p05": p05,
        "coverage": coverage,
        "ssim_min": SSIM_MIN,
        "coverage_min": COVERAGE_MIN,
        "recipe_residual": summary.get("residual"),
        # Same-capture evidence (same_capture.py): fails the analysis only when conclusive.
        "same_capture_grain": grain,
        # The same question asked of the JPEG's own coefficients (jpeg_grain.py).
        "same_capture_coefficients": coefficients,
        "other_exposure": other_exposure,
        "grain_decides": grain_decides,
        "grain_ssim_min": GRAIN_SSIM_MIN,
        "grain_recipe_residual_max": GRAIN_RESIDUAL_MAX,
        "grain_max_push_ev": GRAIN_MAX_PUSH_EV,
        "explanation": explanation,
    }
    return AnalysisResult("rendition_similarity", ok, conf, details)
