from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .imaging import LUMA, srgb_decode, srgb_encode, to_lab

N_SAMPLES = 60_000
N_BINS = 96
TRIM = 0.85  # keep this share of best-fitting pixels when refitting (drops edits, clipping)


@dataclass
class Recipe:
    matrix: np.ndarray  # 3x3 on normalised linear RAW RGB
    xs: np.ndarray  # per-channel curve knots (input), shape (3, K)
    ys: np.ndarray  # per-channel curve values (sRGB-encoded output), shape (3, K)
    norm: float  # RAW linear value mapped to 1.0
    residual: float  # mean |prediction - image| in 8-bit levels over the fit pixels

    def predict(self, lin: np.ndarray) -> np.ndarray:
        z = (lin.reshape(-1, 3) / self.norm) @ self.matrix.T
        out = np.empty_like(z)
        for c in range(3):
            out[:, c] = np.interp(z[:, c], self.xs[c], self.ys[c])
        return out.reshape(lin.shape).astype(np.float32)


def _pava(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Pool-adjacent-violators: the non-decreasing sequence closest to y (weights w)."""
    vals, wts, sizes = [], [], []
    for yi, wi in zip(y.tolist(), w.tolist(), strict=True):
        vals.append(yi)
        wts.append(wi)
        sizes.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            wsum = wts[-2] + wts[-1]
            v = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / max(wsum, 1e-12)
            s = sizes[-2] + sizes[-1]
            vals[-2:], wts[-2:], sizes[-2:] = [v], [wsum], [s]
    return np.repeat(np.array(vals), sizes)


def _fit_curve(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Dense bins in the tails: deep shadows and highlights are few pixels but carry detail.
    probs = np.concatenate(
        [
            np.linspace(0, 0.02, 9),
            np.linspace(0.02, 0.98, N_BINS - 15)[1:-1],
            np.linspace(0.98, 1, 9),
        ]
    )
    qs = np.quantile(z, probs)
    idx = np.clip(np.searchsorted(qs, z, side="right") - 1, 0, N_BINS - 1)
    counts = np.bincount(idx, minlength=N_BINS).astype(np.float64)[:N_BINS]
    # Bin means, not medians: the trimmed refit already drops outliers, and means are O(n).
    xs = np.bincount(idx, weights=z, minlength=N_BINS)[:N_BINS] / np.maximum(counts, 1)
    ys = np.bincount(idx, weights=y, minlength=N_BINS)[:N_BINS] / np.maximum(counts, 1)
    keep = counts > 0
    xs, ys, counts = xs[keep], ys[keep], counts[keep]
    ys = _pava(ys, counts)
    xs = np.maximum.accumulate(xs + np.arange(len(xs)) * 1e-9)
    return xs, np.clip(ys, 0, 1)


def _invert(xs: np.ndarray, ys: np.ndarray, y: np.ndarray) -> np.ndarray:
    yy = ys + np.arange(len(ys)) * 1e-7  # strictly increasing so np.interp can invert
    return np.interp(y, yy, xs)


def _lstsq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    sol, *_ = np.linalg.lstsq(x, y, rcond=None)
    return sol.T


def fit_recipe(lin: np.ndarray, target: np.ndarray, valid: np.ndarray) -> Recipe:
    """Fit image ~= curves(M @ raw): the space of honest global colour and tone edits."""
    ys_idx, xs_idx = np.nonzero(valid)
    step = max(1, len(ys_idx) // N_SAMPLES)
    sel = (ys_idx[::step], xs_idx[::step])
    x_all = lin[sel].astype(np.float64)
    y_all = target[sel].astype(np.float64)
    norm = float(np.percentile(x_all.max(axis=1), 99.5)) or 1.0
    x_all /= norm
    usable = (x_all.max(axis=1) < 0.98) & (y_all.max(axis=1) < 0.985) & (y_all.min(axis=1) > 0.01)
    if usable.sum() < 500:
        usable = np.ones(len(x_all), bool)
    x, y = x_all[usable], y_all[usable]
    y_lin = srgb_decode(y).astype(np.float64)
    m = _lstsq(x, y_lin)
    curves: list[tuple[np.ndarray, np.ndarray]] = []
    keep = np.ones(len(x), bool)
    for _ in range(3):
        z = x @ m.T
        curves = [_fit_curve(z[keep, c], y[keep, c]) for c in range(3)]
        pred = np.stack([np.interp(z[:, c], *curves[c]) for c in range(3)], 1)
        err = np.abs(pred - y).sum(axis=1)
        keep = err <= np.quantile(err, TRIM)
        target_z = np.stack([_invert(*curves[c], y[:, c]) for c in range(3)], 1)
        m = _lstsq(x[keep], target_z[keep])
    # Curves see every pixel, clipped ones included: a converter's highlight roll-off and
    # clipping to white are part of an honest tone curve.
    z_all = x_all @ m.T
    curves = [_fit_curve(z_all[:, c], y_all[:, c]) for c in range(3)]
    xs = np.stack([_pad(c[0], N_BINS) for c in curves])
    ys = np.stack([_pad(c[1], N_BINS) for c in curves])
    rec = Recipe(m.astype(np.float32), xs, ys, norm, 0.0)
    pred = rec.predict(lin[sel])
    rec.residual = float(np.abs(pred - target[sel]).mean() * 255)
    return rec


def _pad(a: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([a, np.full(n - len(a), a[-1])]) if len(a) < n else a


def describe(rec: Recipe, lin: np.ndarray, target: np.ndarray, valid: np.ndarray) -> dict[str, Any]:
    """Exposure, white balance, tone curve and saturation of the fitted recipe, in plain terms."""
    neutral = rec.matrix.astype(np.float64) @ np.ones(3)
    g = max(1e-6, float(neutral[1]))
    gains = neutral / g
    # Exposure: how much brighter a mid-grey RAW value comes out than a plain sRGB rendering.
    probe = 0.18
    out_mid = float(np.interp(probe * g / rec.norm, rec.xs[1], rec.ys[1]))
    ev = float(np.log2(max(1e-4, float(srgb_decode(np.array([out_mid]))[0])) / probe))
    ys_idx, xs_idx = np.nonzero(valid)
    step = max(1, len(ys_idx) // 50_000)
    sel = (ys_idx[::step], xs_idx[::step])
    lab_t = to_lab(target[sel][None])[0]
    plain = srgb_encode(lin[sel] / rec.norm)
    lab_p = to_lab(plain[None])[0]
    chroma_t = float(np.hypot(lab_t[:, 1], lab_t[:, 2]).mean())
    chroma_p = float(np.hypot(lab_p[:, 1], lab_p[:, 2]).mean())
    saturation = chroma_t / max(1e-3, chroma_p)
    knots = np.linspace(0.05, 1.0, 9)
    curve = [float(np.interp(k * g / rec.norm, rec.xs[1], rec.ys[1])) for k in knots]
    parts = []
    if abs(ev) >= 0.15:
        parts.append(f"{ev:+.1f} EV")
    warmth = gains[0] / max(1e-6, gains[2])
    if warmth > 1.08:
        parts.append("warmer WB")
    elif warmth < 1 / 1.08:
        parts.append("cooler WB")
    if saturation < 0.08:
        parts.append("black and white")
    elif saturation > 1.15:
        parts.append("more saturated")
    elif saturation < 0.87:
        parts.append("less saturated")
    return {
        "exposure_ev": ev,
        "wb_gains": [float(v) for v in gains],
        "color_matrix": rec.matrix.tolist(),
        "tone_curve_in": knots.tolist(),
        "tone_curve_out": curve,
        "saturation": saturation,
        "residual": rec.residual,
        "luma_weights": LUMA.tolist(),
        "summary": ", ".join(parts) or "no global colour or tone change",
    }
