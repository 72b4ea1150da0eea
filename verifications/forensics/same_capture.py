from __future__ import annotations

import cv2
import numpy as np

from .imaging import luma

# Another frame of a burst registers perfectly and carries the same content; only its noise
# differs. In the flattest areas the image's fine grain must be the RAW's own grain.
MIN_GRAIN_RATIO = 0.5  # image grain / RAW grain below this: denoised, test inconclusive
MIN_CORRELATION = 0.25


def grain_match(pred: np.ndarray, target: np.ndarray, valid: np.ndarray) -> dict[str, float | bool]:
    lp, lt = luma(pred), luma(target)
    hp_p = lp - cv2.GaussianBlur(lp, (0, 0), 1.5)
    hp_t = lt - cv2.GaussianBlur(lt, (0, 0), 1.5)
    smooth = cv2.GaussianBlur(lp, (0, 0), 3.0)
    texture = cv2.magnitude(
        cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1)
    )
    inner = valid & (lp > 0.08) & (lp < 0.92)
    if inner.sum() < 5000:
        return {"conclusive": False, "grain_correlation": float("nan"), "grain_ratio": float("nan")}
    flat = inner & (texture <= np.percentile(texture[inner], 25))
    a, b = hp_p[flat].astype(np.float64), hp_t[flat].astype(np.float64)
    sa, sb = float(a.std()), float(b.std())
    corr = float(((a - a.mean()) * (b - b.mean())).mean() / (sa * sb + 1e-12))
    ratio = sb / (sa + 1e-12)
    # Grain must be visible in both: at least ~1/2 of an 8-bit level, or there is nothing to match.
    conclusive = bool(ratio >= MIN_GRAIN_RATIO and sa > 0.002 and sb > 0.002)
    return {
        "conclusive": conclusive,
        "grain_correlation": corr,
        "grain_ratio": float(ratio),
        "grain_rms_raw": sa,
        "grain_rms_image": sb,
    }
