from __future__ import annotations

import cv2
import numpy as np

from .imaging import luma

# Another frame of a burst registers perfectly and carries the same content; only its sensor
# noise is a new draw. So, in the quietest parts of the frame, we ask how much of the image's
# fine grain a linear filter of the RAW's own grain can explain. For one exposure the rest is
# JPEG quantisation and resampling (small); for two exposures it is the other frame's noise,
# of the RAW's own grain level. Scene texture is shared by both frames, so a heavily textured
# or low-noise scene leaves too little to tell: the test then stays silent rather than guess.
BAND = (1.0, 2.5)  # px, difference of Gaussians: above JPEG/resampling losses, below texture
BLOCK = 16  # px
QUIET_SHARE = 0.10  # the quietest tenth of the mid-tone blocks: grain levels and R2
FIT_SHARE = 0.5  # the quieter half: filter fit and the residual-against-texture line
FILTER_RADIUS = 2  # 5x5 linear filter absorbs resampling, mild blur and mild sharpening
MIN_BLOCKS = 50
MAX_FIT_PIXELS = 40000
# Conclusive only when the RAW has some grain to compare (half an 8-bit level in the band)
# and the image keeps it at about the same level (not denoised, sharpened or wiped by low
# JPEG quality).
MIN_GRAIN_LEVELS = 0.5
GRAIN_RATIO_RANGE = (0.85, 1.25)
# Decision, set on the bench's tuning split. The residual floor is the unexplained image
# grain extrapolated to a texture-free block, in 8-bit levels: JPEG quantisation and
# resampling leave <= 0.57 for honest renditions; another exposure leaves its own noise,
# 0.6-1.2 at ISO >= 400. Texture-rich honest pictures (strong pushes, another demosaic) can
# reach a high floor too, but their image grain stays explained (R2 > 0.9); another
# exposure's does not (R2 0.1-0.75).
MIN_RESIDUAL_FLOOR = 0.6  # 8-bit levels
MAX_EXPLAINED = 0.75  # R2 of the image grain from the RAW grain, quietest blocks


def _band(x: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(x, (0, 0), BAND[0]) - cv2.GaussianBlur(x, (0, 0), BAND[1])


def _blocks(a: np.ndarray, hb: int, wb: int) -> np.ndarray:
    b = BLOCK
    return a[: hb * b, : wb * b].reshape(hb, b, wb, b).swapaxes(1, 2).reshape(hb * wb, b * b)


def _inconclusive(reason: str, **figures: float) -> dict[str, float | bool | str]:
    out: dict[str, float | bool | str] = {
        "conclusive": False,
        "different_exposure": False,
        "grain_correlation": float("nan"),
        "grain_ratio": float("nan"),
        "grain_rms_raw": float("nan"),
        "grain_rms_image": float("nan"),
        "grain_unexplained": float("nan"),
        "grain_explained_r2": float("nan"),
        "grain_residual_floor": float("nan"),
    }
    out.update(figures)
    out["inconclusive_reason"] = reason
    return {**out, **_thresholds()}


def _thresholds() -> dict[str, float]:
    return {
        "min_grain_levels": MIN_GRAIN_LEVELS,
        "grain_ratio_min": GRAIN_RATIO_RANGE[0],
        "grain_ratio_max": GRAIN_RATIO_RANGE[1],
        "min_residual_floor": MIN_RESIDUAL_FLOOR,
        "max_explained_r2": MAX_EXPLAINED,
    }


def grain_match(
    pred: np.ndarray, target: np.ndarray, valid: np.ndarray
) -> dict[str, float | bool | str]:
    """Is the image's fine grain this RAW's noise realisation? Figures in 8-bit levels."""
    lp, lt = luma(pred), luma(target)
    h, w = lp.shape
    pad = 2 * FILTER_RADIUS + 7
    # No channel near clipping on either side: a clipped channel has no grain in J, while
    # the prediction (a fitted curve) may keep some.
    hi = np.maximum(pred.max(-1), target.max(-1))
    lo = np.minimum(pred.min(-1), target.min(-1))
    inner = (valid & (lp > 0.06) & (lp < 0.94) & (hi < 0.97) & (lo > 0.01)).astype(np.uint8)
    inner = cv2.erode(inner, np.ones((pad, pad), np.uint8)) > 0
    m = FILTER_RADIUS + 4
    inner[:m], inner[-m:], inner[:, :m], inner[:, -m:] = False, False, False, False
    hb, wb = h // BLOCK, w // BLOCK
    ok = np.flatnonzero(_blocks(inner, hb, wb).all(-1))
    if ok.size < MIN_BLOCKS:
        return _inconclusive("too few mid-tone blocks")
    bp, bt = _band(lp), _band(lt)
    blk_p, blk_t = _blocks(bp, hb, wb), _blocks(bt, hb, wb)
    energy = (blk_p**2).mean(-1)
    # Rank blocks by both sides' grain: ranking by the RAW's alone would pick the blocks where
    # its own noise draw happens to be weak, and inflate the grain ratio of another exposure.
    both = energy + (blk_t**2).mean(-1)
    order = ok[np.argsort(both[ok])]
    fit_blocks = order[: max(20, int(ok.size * FIT_SHARE))]
    quiet = order[: max(20, int(ok.size * QUIET_SHARE))]
    r = FILTER_RADIUS
    taps = [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1)]

    def pixels(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        chosen = np.zeros(hb * wb, bool)
        chosen[blocks] = True
        mask = np.zeros((h, w), bool)
        mask[: hb * BLOCK, : wb * BLOCK] = np.repeat(
            np.repeat(chosen.reshape(hb, wb), BLOCK, 0), BLOCK, 1
        )
        return np.nonzero(mask)

    ys, xs = pixels(fit_blocks)
    step = max(1, ys.size // MAX_FIT_PIXELS)  # a 25-tap fit needs no more pixels than this
    ys, xs = ys[::step], xs[::step]
    x = np.stack([bp[ys + dy, xs + dx] for dy, dx in taps], 1).astype(np.float64)
    y_fit = bt[ys, xs].astype(np.float64)
    # Normal equations: 25 unknowns, well conditioned (the taps are noise-dominated).
    coef = np.linalg.solve(x.T @ x + 1e-12 * np.eye(len(taps)), x.T @ y_fit)
    kernel = coef.reshape(2 * r + 1, 2 * r + 1).astype(np.float32)
    fp = cv2.filter2D(bp, cv2.CV_32F, kernel, borderType=cv2.BORDER_REFLECT)
    # One gain per block on top: tone curves and pushes scale the grain by the local slope,
    # which one global filter cannot follow (costs another exposure ~1/256 of its noise).
    bfp, bbt = _blocks(fp, hb, wb).astype(np.float64), blk_t.astype(np.float64)
    gain = (bfp * bbt).sum(-1) / ((bfp * bfp).sum(-1) + 1e-20)
    resid = bbt - gain[:, None] * bfp
    # Residual energy against scene energy, block by block: its intercept is what remains
    # where there is no texture to blame, the floor of the unexplained grain.
    res_e = (resid**2).mean(-1)
    line = np.stack([np.ones(fit_blocks.size), energy[fit_blocks]], 1)
    (floor, _), *_ = np.linalg.lstsq(line, res_e[fit_blocks], rcond=None)
    a = blk_p[quiet].ravel().astype(np.float64)
    y = bbt[quiet].ravel()
    res = resid[quiet].ravel()
    sa, sb, sr = float(a.std()), float(y.std()), float(res.std())
    corr = float(np.corrcoef(a, y)[0, 1]) if sa > 0 and sb > 0 else float("nan")
    ratio = sb / (sa + 1e-12)
    r2 = 1.0 - sr**2 / (sb**2 + 1e-24)
    figures = {
        "grain_correlation": corr,
        "grain_ratio": float(ratio),
        "grain_rms_raw": sa * 255,
        "grain_rms_image": sb * 255,
        "grain_unexplained": sr / (sa + 1e-12),
        "grain_explained_r2": float(r2),
        "grain_residual_floor": float(np.sqrt(max(floor, 0.0)) * 255),
    }
    if sa * 255 < MIN_GRAIN_LEVELS:
        return _inconclusive("the RAW's grain is too faint to compare", **figures)
    if not GRAIN_RATIO_RANGE[0] <= ratio <= GRAIN_RATIO_RANGE[1]:
        return _inconclusive(
            "the image's grain was changed (denoised, sharpened or compressed)", **figures
        )
    floor_high = figures["grain_residual_floor"] >= MIN_RESIDUAL_FLOOR
    # Both: a low R2 alone also comes from faint grain under coarse JPEG quantisation.
    different = bool(floor_high and r2 <= MAX_EXPLAINED)
    return {"conclusive": True, "different_exposure": different, **figures, **_thresholds()}
