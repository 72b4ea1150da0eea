from __future__ import annotations

import cv2
import numpy as np

from .imaging import blur, luma

# Highlights/shadows sliders and vignetting change brightness smoothly over the frame; model
# them as a gain that depends only on broad local brightness and on distance from the centre.
# A local relight does neither, so it stays in the residual.
BASE_SIGMA_SHARE = 0.03  # of the frame diagonal: the scale those sliders work at
KNOTS = np.linspace(0.0, 1.0, 9)
MAX_LOG_GAIN = 1.2


def _hats(v: np.ndarray) -> np.ndarray:
    """Piecewise-linear 'hat' basis on KNOTS: a smooth 1-D function of brightness."""
    step = KNOTS[1] - KNOTS[0]
    return np.clip(1 - np.abs(v[:, None] - KNOTS[None, :]) / step, 0, 1)


def _design(base: np.ndarray, rr: np.ndarray) -> np.ndarray:
    return np.concatenate([_hats(base), rr[:, None], (rr * rr)[:, None]], axis=1)


def fit_gain_field(
    pred: np.ndarray, target: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, dict[str, float]]:
    """Gain G (HxW, on sRGB-encoded values) so that pred * G best explains target."""
    full_hw = valid.shape
    # The field is smooth by construction: fit and evaluate it at half resolution.
    half = (max(1, full_hw[1] // 2), max(1, full_hw[0] // 2))
    pred = cv2.resize(pred, half, interpolation=cv2.INTER_AREA)
    target = cv2.resize(target, half, interpolation=cv2.INTER_AREA)
    valid = cv2.resize(valid.astype(np.uint8), half, interpolation=cv2.INTER_NEAREST).astype(bool)
    h, w = valid.shape
    lp, lt = luma(pred), luma(target)
    base = blur(lp, BASE_SIGMA_SHARE * float(np.hypot(h, w)))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rr = (((yy - h / 2) / (h / 2)) ** 2 + ((xx - w / 2) / (w / 2)) ** 2) / 2
    use = valid & (lp > 0.04) & (lp < 0.95) & (lt > 0.02) & (lt < 0.98)
    idx = np.flatnonzero(use)
    if idx.size < 2000:
        return np.ones(full_hw, np.float32), {"applied": 0.0}
    idx = idx[:: max(1, idx.size // 40_000)]
    a = _design(base.reshape(-1)[idx], rr.reshape(-1)[idx])
    y = np.log(lt.reshape(-1)[idx] / lp.reshape(-1)[idx])
    keep = np.ones(len(y), bool)
    reg = 1e-3 * np.eye(a.shape[1])
    coef = np.zeros(a.shape[1])
    for _ in range(3):
        ak = a[keep]
        coef = np.linalg.solve(ak.T @ ak + reg * len(ak), ak.T @ y[keep])
        err = np.abs(a @ coef - y)
        keep = err <= np.quantile(err, 0.8)
    full = _design(base.reshape(-1), rr.reshape(-1)) @ coef
    gain = np.exp(np.clip(full, -MAX_LOG_GAIN, MAX_LOG_GAIN)).reshape(h, w).astype(np.float32)
    gain = cv2.resize(gain, (full_hw[1], full_hw[0]), interpolation=cv2.INTER_LINEAR)
    g = gain[::4, ::4]
    spread = float(np.percentile(g, 95) / max(1e-6, np.percentile(g, 5)))
    return gain, {"applied": 1.0, "gain_spread": spread, "radial": float(coef[-2])}
