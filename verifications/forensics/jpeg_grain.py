"""Same capture, judged in the JPEG's own quantised coefficients.

When the image sits on the RAW's pixel grid (no resampling, only a whole-pixel crop and an
EXIF rotation), the global recipe can be rebuilt at full resolution: a monotone curve per
channel, a guided local slope and offset for local tone work, and a 7x7 filter for
sharpening. JPEG then
stops being a noise floor, because every luma DCT coefficient of the image tells us the
interval its pre-compression value lay in. A rendition of this RAW lands inside those
intervals to ~0.1 level; another exposure of the same scene misses them by its own sensor
noise (1-5 levels on the bench), in flat blocks as much as in textured ones, while a
modelling error (another converter, a local edit) grows with the texture it works on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image
from scipy.fft import dctn

from .decode import ImageData, RawData

Q_MAX = 8  # luma steps up to this are fine enough for sensor noise to move a coefficient
MIN_BLOCKS = 200
FLAT_SHARE = 0.10  # the flattest tenth of the usable blocks: noise dominates texture there
TEXTURE_SHARE = 0.25
GAIN_SIGMA = 16.0  # px: local tone work (shadows/highlights, vignette) is smoother than this
TONE_PULL = 16.0  # levels^2: about a noisy frame's grain variance in a flat window
TONE_STEP = 4  # the local tone model's moments are taken on a grid this much coarser
FILTER_RADIUS = 3  # 7x7: unsharp masks up to ~1.5 px radius
MAX_FIT_PIXELS = 60000
GRID_TOLERANCE = 2e-3  # scale/shear off 1 at which resampling would blur the grain
SHIFT_TOLERANCE = 0.3  # px from a whole-pixel crop
# Decision, set on the bench's cached cases (28 burst frames against 311 honest renditions
# of every kind that can keep the RAW's grid, both splits: the held-out column is therefore
# not independent for this test). A rendition rebuilt exactly misses by <= 0.35 level rms
# in the flattest blocks; exposure and white-balance edits up to 1.0 but at < 0.11 of those
# blocks' own energy; an 8-bit intermediate pushed by a vignette or a weak denoiser up to
# 1.04 at 0.30-0.31 of it. Another exposure: 0.75-4.8 levels, 0.16-1.0 of the energy.
# The miss must also be >= 2.5x the relative miss of the most textured quarter: a modelling
# error grows with texture, another exposure's noise does not.
MIN_FLAT_MISS = 0.7
MIN_FLAT_RELATIVE = 0.15
MIN_FLAT_OVER_TEXTURE = 2.5
# And the image's flat-block coefficients must carry less than all of the rebuilt grain
# (slope < 1): another exposure shares only the scene's texture with this RAW (bursts:
# 0.47-0.999), while another demosaic of the same noise keeps all of it (1.03 for a VNG/PPG
# rendition that otherwise missed like a burst frame). Clearly less (< 0.95) decides
# without the texture ratio: a noisy frame's textured blocks miss by its noise too (ISO
# 1600 burst: 0.28 flat against 0.20 textured, slope 0.88). Honest renditions that miss
# like a burst frame keep >= 1.01 unless denoised, which the grain ratio catches.
MAX_SHARED_OTHER = 1.0
MAX_SHARED_CLEARLY_OTHER = 0.95
# Conclusive only when the image kept the RAW's grain as it is: not denoised (a denoiser
# leaves the same exposure's grain partly erased, like another exposure's: a weak TV
# denoise kept 0.86 of it), not strongly sharpened, and not carrying more grain than the
# rebuilt recipe (local tone work the model missed).
GRAIN_RATIO_RANGE = (0.87, 1.3)  # image grain / rebuilt grain, finest scale, quiet half
MAX_GRAIN_KEPT = 1.9  # quantised flat-block energy / rebuilt energy
MAX_GRAIN_SHARED = 1.1  # slope of the image's flat-block coefficients on the rebuilt ones
LUT_BINS = 256
MIX_KNOTS = 24  # per channel, at quantiles: enough for any tone curve
UNCLIPPED = (8.0, 245.0)  # 8-bit levels: clipped pixels carry no grain


def _thresholds() -> dict[str, float]:
    return {
        "q_max": Q_MAX,
        "min_flat_miss": MIN_FLAT_MISS,
        "min_flat_relative": MIN_FLAT_RELATIVE,
        "min_flat_over_texture": MIN_FLAT_OVER_TEXTURE,
        "max_shared_other_exposure": MAX_SHARED_OTHER,
        "max_shared_clearly_other_exposure": MAX_SHARED_CLEARLY_OTHER,
        "grain_ratio_min": GRAIN_RATIO_RANGE[0],
        "grain_ratio_max": GRAIN_RATIO_RANGE[1],
        "max_grain_kept": MAX_GRAIN_KEPT,
        "max_grain_shared": MAX_GRAIN_SHARED,
    }


def _inconclusive(reason: str, **figures: Any) -> dict[str, Any]:
    return {
        "conclusive": False,
        "different_exposure": False,
        "inconclusive_reason": reason,
        **figures,
        **_thresholds(),
    }


def grid_offset(
    matrix: np.ndarray, a_scale: float, flipped: bool, k1: float
) -> tuple[int, int] | None:
    """Whole-pixel (dx, dy) from the RAW rendition to the displayed image, or None."""
    if flipped or abs(k1) > 1e-9:
        return None
    m = np.asarray(matrix, np.float64) / a_scale
    if np.abs(m[:, :2] - np.eye(2)).max() > GRID_TOLERANCE:
        return None
    t = m[:, 2]
    if np.abs(t - np.rint(t)).max() > SHIFT_TOLERANCE:
        return None
    return int(np.rint(t[0])), int(np.rint(t[1]))


def _to_stored(a: np.ndarray, orientation: int) -> np.ndarray:
    """Undo the EXIF orientation (displayed -> stored pixel order)."""
    ops = {
        2: lambda x: x[:, ::-1],
        3: lambda x: x[::-1, ::-1],
        4: lambda x: x[::-1],
        5: lambda x: x.swapaxes(0, 1),
        6: lambda x: np.rot90(x, 1),  # displayed = stored turned 90 deg clockwise
        7: lambda x: np.rot90(x, 2).swapaxes(0, 1),
        8: lambda x: np.rot90(x, -1),
    }
    op = ops.get(orientation)
    return np.ascontiguousarray(op(a)) if op else a


def _curve(src: np.ndarray, dst: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Monotone map src -> dst (mean per quantile bin), applied to all of src."""
    s, d = src[fit], dst[fit]
    sample = s[:: max(1, s.size // (100 * LUT_BINS))]  # bin edges need no more
    edges = np.unique(np.quantile(sample, np.linspace(0, 1, LUT_BINS + 1)))
    if edges.size < 3:
        return np.full_like(src, float(np.median(d)) if d.size else 0.0)
    idx = np.clip(np.searchsorted(edges, s, "right") - 1, 0, edges.size - 2)
    n = np.bincount(idx, minlength=edges.size - 1)
    xs = np.bincount(idx, s, minlength=edges.size - 1)
    ys = np.bincount(idx, d, minlength=edges.size - 1)
    keep = n >= 20
    if keep.sum() < 2:
        return np.full_like(src, float(np.median(d)))
    x, y = xs[keep] / n[keep], ys[keep] / n[keep]
    return np.interp(src, x, np.maximum.accumulate(y) if y[-1] >= y[0] else y)


def _additive_curves(src: np.ndarray, dst: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """dst ~ sum over channels of a piecewise-linear curve of src[..., c]."""
    rows = np.flatnonzero(fit.ravel())[:: max(1, int(fit.sum()) // MAX_FIT_PIXELS)]
    knots = []
    for c in range(3):
        k = np.unique(np.quantile(src[..., c].ravel()[rows], np.linspace(0, 1, MIX_KNOTS)))
        knots.append(k if k.size >= 2 else np.array([k[0], k[0] + 1e-6]))

    def basis(x: np.ndarray, k: np.ndarray) -> np.ndarray:
        # hat functions: linear interpolation weights onto the knots (clamped at the ends)
        pos = np.interp(x, k, np.arange(k.size, dtype=np.float64))
        lo = np.clip(np.floor(pos).astype(int), 0, k.size - 2)
        frac = pos - lo
        out = np.zeros((x.size, k.size))
        out[np.arange(x.size), lo] = 1 - frac
        out[np.arange(x.size), lo + 1] += frac
        return out

    a = np.concatenate([basis(src[..., c].ravel()[rows], knots[c]) for c in range(3)], 1)
    coef, *_ = np.linalg.lstsq(a, dst.ravel()[rows], rcond=None)
    out = np.zeros_like(dst)
    start = 0
    for c in range(3):
        k = knots[c]
        out += np.interp(src[..., c], k, coef[start : start + k.size])
        start += k.size
    return out


def _luma_model(pred_lin: np.ndarray, rgb: np.ndarray, y: np.ndarray, fit: np.ndarray):
    """The image's luma as the recipe would make it from the RAW, in 8-bit levels."""
    chroma = np.abs(rgb[..., 0] - rgb[..., 1]) + np.abs(rgb[..., 2] - rgb[..., 1])
    if float(np.percentile(chroma[fit], 99)) <= 2.0:
        # Black and white: a sum of one curve per RAW channel (a mix of the curved channels,
        # which is what a grey conversion of a developed picture is), fitted jointly as
        # piecewise-linear curves by least squares.
        return _additive_curves(pred_lin, y, fit)
    chans = [_curve(pred_lin[..., c], rgb[..., c], fit) for c in range(3)]
    return 0.299 * chans[0] + 0.587 * chans[1] + 0.114 * chans[2]


def _detail_filter(p: np.ndarray, t: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Refit the fine detail of p onto t with one 7x7 filter (sharpening, softening)."""
    lo_p = cv2.GaussianBlur(p, (0, 0), 3.0)
    hp, ht = p - lo_p, t - cv2.GaussianBlur(t, (0, 0), 3.0)
    r = FILTER_RADIUS
    ys, xs = np.nonzero(fit[r:-r, r:-r])
    ys, xs = ys + r, xs + r
    step = max(1, ys.size // MAX_FIT_PIXELS)
    ys, xs = ys[::step], xs[::step]
    taps = [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1)]
    x = np.stack([hp[ys + dy, xs + dx] for dy, dx in taps], 1)
    coef = np.linalg.solve(x.T @ x + 1e-9 * np.eye(len(taps)), x.T @ ht[ys, xs])
    kernel = coef.reshape(2 * r + 1, 2 * r + 1)
    return lo_p + cv2.filter2D(hp, -1, kernel, borderType=cv2.BORDER_REFLECT)


def _local_tone(p: np.ndarray, t: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """A smooth local slope and offset from p to t (a guided filter pulled towards slope 1).

    Local tone work (shadows/highlights, vignetting) changes level and contrast region by
    region. The slope is learnt where there is structure; in flat windows the pull towards
    1 keeps it from shrinking the RAW's grain away, which would hide another exposure's."""
    # The windows are wide and smooth, so the moments are taken on a 4x coarser grid (the
    # fast guided filter): the products are averaged at full resolution first, so the
    # grain still counts in the variances.
    h, w = p.shape
    small = (max(1, w // TONE_STEP), max(1, h // TONE_STEP))
    sigma = GAIN_SIGMA / TONE_STEP

    def shrink(x: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(
            cv2.resize(x.astype(np.float32), small, interpolation=cv2.INTER_AREA), (0, 0), sigma
        )

    m = fit.astype(np.float32)
    weight = shrink(m) + 1e-6

    def mean(x: np.ndarray) -> np.ndarray:
        return shrink(x * m) / weight

    mp, mt = mean(p), mean(t)
    var = mean(p * p) - mp * mp
    cov = mean(p * t) - mp * mt
    slope = np.clip((cov + TONE_PULL) / (np.maximum(var, 0.0) + TONE_PULL), 0.3, 3.0)
    offset = mt - slope * mp

    def grow(x: np.ndarray) -> np.ndarray:
        smooth = cv2.GaussianBlur(x, (0, 0), sigma)
        return cv2.resize(smooth, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float64)

    return grow(slope) * p + grow(offset)


def _grain_ratio(p: np.ndarray, t: np.ndarray, fit: np.ndarray) -> float:
    """Image grain over rebuilt grain at the finest scale, in the quieter half of the frame."""
    hp = p - cv2.GaussianBlur(p, (0, 0), 1.0)
    ht = t - cv2.GaussianBlur(t, (0, 0), 1.0)
    local = cv2.GaussianBlur(hp * hp, (0, 0), 8.0)
    quiet = fit & (local <= np.median(local[fit]))
    return float(np.sqrt((ht[quiet] ** 2).mean() / ((hp[quiet] ** 2).mean() + 1e-12)))


def _blocks(a: np.ndarray, hb: int, wb: int) -> np.ndarray:
    return a[: hb * 8, : wb * 8].reshape(hb, 8, wb, 8).swapaxes(1, 2)


def _read_luma(path: Path) -> np.ndarray | None:
    """libjpeg's own luma plane (levels, stored orientation), before colour conversion."""
    try:
        with Image.open(path) as im:
            if im.format != "JPEG":
                return None
            if im.mode == "L":
                return np.asarray(im, np.float64)
            im.draft("YCbCr", im.size)
            if im.mode != "YCbCr":
                return None
            return np.asarray(im, np.float64)[..., 0]
    except (OSError, ValueError):  # the main decode accepted it; this one wants raw YCbCr
        return None


def same_capture_on_grid(raw: RawData, img: ImageData, reg: Any, a_scale: float) -> dict[str, Any]:
    """The coefficient test, when the image sits on the grid of the RAW developed at full
    resolution; inconclusive otherwise."""
    offset = None
    # Only a full-resolution development has the sensor's own grain pixel for pixel: a
    # half-size one (large frames) bins the sites, which no exported JPEG reproduces. The
    # image must be decoded at full size too (large JPEGs are decoded reduced).
    full_size = abs(raw.rendition_scale - 1.0) < 1e-3 and img.scale == 1.0
    if img.format == "JPEG" and raw.raw_type == "flat" and full_size:
        offset = grid_offset(reg.matrix, a_scale, reg.flip, reg.k1)
    if offset is None:
        return _inconclusive(
            "the image is not a JPEG on the pixel grid of the RAW developed at full resolution"
        )
    return coefficient_match(raw.rendition, offset, img)


def coefficient_match(
    rendition: np.ndarray, offset: tuple[int, int], img: ImageData
) -> dict[str, Any]:
    """Does the image's luma fall inside its own JPEG intervals when rebuilt from this RAW?"""
    y = _read_luma(img.path)
    table = (img.quant_tables or {}).get(0)
    if y is None or table is None:
        return _inconclusive("the image is not a baseline colour or grey JPEG")
    q = np.asarray(table, np.float64).reshape(8, 8)
    orientation = img.orientation
    rgb = _to_stored(img.rgb, orientation).astype(np.float64)
    h, w = y.shape
    if rgb.shape[:2] != (h, w):
        return _inconclusive("the image's stored size does not match its orientation")
    dh, dw = img.rgb.shape[:2]
    dx, dy = offset
    disp = np.full((dh, dw, 3), np.nan, np.float32)
    rh, rw = rendition.shape[:2]
    y0, y1, x0, x1 = max(0, dy), min(dh, rh + dy), max(0, dx), min(dw, rw + dx)
    if y1 - y0 < 64 or x1 - x0 < 64:
        return _inconclusive("the RAW covers too little of the image")
    disp[y0:y1, x0:x1] = rendition[y0 - dy : y1 - dy, x0 - dx : x1 - dx]
    pred = _to_stored(disp, orientation)
    covered = np.isfinite(pred[..., 0])
    pred = np.nan_to_num(pred).astype(np.float64)
    lo, hi = UNCLIPPED
    clean = covered & (rgb.min(-1) > lo) & (rgb.max(-1) < hi)
    clean = cv2.erode(clean.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    if clean.sum() < MIN_BLOCKS * 64:
        return _inconclusive("too few unclipped pixels")
    yp = _luma_model(pred, rgb, y, clean)
    yp = _local_tone(yp, y, clean)
    grain_ratio = _grain_ratio(yp, y, clean)
    yp = _detail_filter(yp, y, clean)
    hb, wb = h // 8, w // 8
    xj = dctn(_blocks(y, hb, wb) - 128.0, axes=(2, 3), norm="ortho")
    xp = dctn(_blocks(yp, hb, wb) - 128.0, axes=(2, 3), norm="ortho")
    sel = q <= Q_MAX
    # The DC and first AC terms see smooth model errors (gain field, tone): grain is white.
    sel[0, :2] = sel[1, 0] = False
    if sel.sum() < 3:
        return _inconclusive("the JPEG is compressed too coarsely to keep sensor grain")
    usable = np.flatnonzero(_blocks(clean, hb, wb).all((2, 3)).ravel())
    if usable.size < MIN_BLOCKS:
        return _inconclusive("too few unclipped blocks")
    n = int(sel.sum())
    # (usable blocks, selected coefficients): the rebuilt values, J's levels, the misses
    xs = xp[..., sel].reshape(-1, n)[usable]
    ls = (np.rint(xj / q) * q)[..., sel].reshape(-1, n)[usable]
    miss = np.maximum(0.0, np.abs(xs - ls) - q[sel] / 2)
    energy = (xs**2).mean(-1)
    missed = (miss**2).mean(-1)
    kept = (ls**2).mean(-1)
    order = np.argsort(energy)
    flat = order[: max(50, int(order.size * FLAT_SHARE))]
    textured = order[-max(50, int(order.size * TEXTURE_SHARE)) :]
    flat_miss = float(np.sqrt(missed[flat].mean()))
    flat_rel = float(np.sqrt(missed[flat].mean() / (energy[flat].mean() + 1e-12)))
    tex_rel = float(np.sqrt(missed[textured].mean() / (energy[textured].mean() + 1e-12)))
    tex_miss = float(np.sqrt(missed[textured].mean()))
    grain_kept = float(np.sqrt(kept[flat].mean() / (energy[flat].mean() + 1e-12)))
    # How much of the rebuilt grain the image carries in its flat blocks (regression slope).
    fx, fy = xs[flat], ls[flat]
    shared = float((fx * fy).sum() / ((fx * fx).sum() + 1e-12))
    figures = {
        "blocks": int(usable.size),
        "coefficients_per_block": n,
        "flat_miss_levels": flat_miss,
        "flat_miss_relative": flat_rel,
        "textured_miss_relative": tex_rel,
        "textured_miss_levels": tex_miss,
        "flat_grain_kept": grain_kept,
        "grain_ratio": grain_ratio,
        "flat_grain_shared": shared,
    }
    if not GRAIN_RATIO_RANGE[0] <= grain_ratio <= GRAIN_RATIO_RANGE[1]:
        return _inconclusive("the image's grain was changed (denoised or sharpened)", **figures)
    if grain_kept > MAX_GRAIN_KEPT or shared > MAX_GRAIN_SHARED:
        return _inconclusive("the global recipe does not rebuild the image's grain", **figures)
    misses = flat_miss >= MIN_FLAT_MISS and flat_rel >= MIN_FLAT_RELATIVE
    untextured = flat_rel >= MIN_FLAT_OVER_TEXTURE * tex_rel and shared < MAX_SHARED_OTHER
    different = bool(misses and (untextured or shared < MAX_SHARED_CLEARLY_OTHER))
    return {
        "conclusive": True,
        "different_exposure": different,
        **figures,
        **_thresholds(),
    }
