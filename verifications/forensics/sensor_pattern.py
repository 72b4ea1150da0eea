from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from .decode import RawData
from .fake_raw_traces import jpeg_block_grid
from .raw_integrity import layout_verdict
from .report import AnalysisResult

# A RAW made from an 8-bit image keeps at most ~256 levels per colour channel however it is
# scaled; a sensor behind a 12-14 bit ADC (even with a companding curve) fills thousands.
MAX_LEVELS_8BIT = 300
MIN_RANGE_FOR_LEVELS = 1500  # DN: below this even a real sensor shows few levels
# JPEG 8x8 blocks survive as a 4-sample period in each CFA plane: mean |step| at the block
# seam against inside blocks, in standard errors.
BLOCK_GRID_Z = 8.0
BLOCK_GRID_RATIO = 1.04
# The same grid measured frame-wide at full mosaic resolution (fake_raw_traces), in
# standard errors. Phase 0 (blocks from the frame's corner, a JPEG turned whole into a
# mosaic) pools both axes and needs a trace on each; any other phase was found by searching
# all 8 and must stand out on both axes separately. On the bench, genuine RAWs (seeds,
# burst frames, recaptures, corpus) reach 2.1 pooled at phase 0 and 1.7 at any phase;
# fakes from JPEGs up to quality ~95 reach 3-100.
JPEG_GRID_Z_PHASE0 = 3.0
JPEG_GRID_AXIS_MIN_PHASE0 = 1.0
JPEG_GRID_Z_ANY_PHASE = 3.5
# Phase 0 again, over the smoother half of the frame only (texture and added noise drown
# seams elsewhere), with the same per-axis trace. Genuine RAWs on the bench reach 2.0
# (seeds) and 2.7 (a recapture, with one axis at 0.9); noisy fakes of grass reach 3.5-4.4
# there while staying below 3 over the whole frame.
JPEG_GRID_Z_PHASE0_SMOOTH = 3.0
# Fine-DCT energy on the corner-aligned 8x8 grid against shifted grids (fake_raw_traces):
# a deficit in standard errors and the aligned/shifted energy ratio. Genuine RAWs on the
# bench (seeds, recaptures, corpus) reach 2.8 and a ratio of 0.989 at most; clean fakes
# reach 9-200 (ratios 0.33-0.97), fakes from quality-96 JPEGs included.
JPEG_DCT_DEFICIT_Z = 6.0
JPEG_DCT_RATIO_MAX = 0.99
# Lossy-compressed RAW formats carry their own block grid: only test lossless data.
LOSSY_COMPRESSION = {"34892", "JPEG (old-style)", "Lossy JPEG"}


PLANE_MAX = 768  # samples per side: statistics over ~1 M sites per plane are plenty


def cfa_planes(raw: RawData) -> list[np.ndarray]:
    """The four CFA sites as planes, from a central window (keeps 24 MP files fast)."""
    m = raw.mosaic
    h, w = m.shape[0] // 2 * 2, m.shape[1] // 2 * 2
    ch, cw = min(h, 2 * PLANE_MAX), min(w, 2 * PLANE_MAX)
    # Even offsets keep the CFA phase; a multiple of 8 keeps any JPEG grid phase too.
    y0, x0 = (h - ch) // 2 // 8 * 8, (w - cw) // 2 // 8 * 8
    m = m[y0 : y0 + ch, x0 : x0 + cw]
    return [m[dy::2, dx::2].astype(np.float32) for dy in (0, 1) for dx in (0, 1)]


def level_count(plane: np.ndarray) -> tuple[int, float]:
    v = plane.reshape(-1).astype(np.int64)
    lo, hi = np.percentile(v, [1, 99])
    inner = v[(v >= lo) & (v <= hi)]
    return int(np.unique(inner).size), float(hi - lo)


def block_grid(planes: list[np.ndarray]) -> tuple[float, float]:
    """Strongest 4-periodic excess of |horizontal and vertical steps| over the four phases."""
    best_z, best_ratio = 0.0, 1.0
    for axis in (0, 1):
        sums = np.zeros(4)
        sq = np.zeros(4)
        counts = np.zeros(4)
        for p in planes:
            d = np.abs(np.diff(p, axis=axis))
            d = d / (np.median(d) + 1.0)  # planes differ in gain
            prof = d.mean(axis=1 - axis)
            n = len(prof) // 4 * 4
            prof = prof[:n].reshape(-1, 4)
            sums += prof.sum(0)
            sq += (prof**2).sum(0)
            counts += prof.shape[0]
        mean = sums / np.maximum(counts, 1)
        var = sq / np.maximum(counts, 1) - mean**2
        for k in range(4):
            others = np.delete(mean, k)
            se = np.sqrt(max(var[k], 1e-12) / max(counts[k], 1) + others.var() / 3 + 1e-12)
            z = (mean[k] - others.mean()) / se
            ratio = mean[k] / max(1e-9, others.mean())
            if z > best_z:
                best_z, best_ratio = float(z), float(ratio)
    return best_z, best_ratio


def noise_slope(planes: list[np.ndarray], black: float) -> dict[str, float]:
    """Variance against mean on flat 8x8 tiles: photon noise makes it rise linearly."""
    g = planes[1] - black
    h, w = g.shape[0] // 8 * 8, g.shape[1] // 8 * 8
    tiles = g[:h, :w].reshape(h // 8, 8, w // 8, 8).transpose(0, 2, 1, 3).reshape(-1, 64)
    mu = tiles.mean(1)
    # Flat tiles: high-pass by differencing neighbours so scene gradients do not count.
    d = np.diff(tiles.reshape(-1, 8, 8), axis=2).reshape(len(tiles), -1)
    var = d.var(1) / 2
    keep = (mu > 0) & (var < np.percentile(var, 30) * 3)
    if keep.sum() < 50:
        return {"noise_slope": float("nan"), "noise_floor": float("nan")}
    a = np.stack([mu[keep], np.ones(keep.sum())], 1)
    (slope, floor), *_ = np.linalg.lstsq(a, var[keep], rcond=None)
    return {"noise_slope": float(slope), "noise_floor": float(floor)}


def _highpass(p: np.ndarray) -> np.ndarray:
    """Residual after removing a 3x3 local mean: sensor noise plus the finest texture."""
    return p - cv2.blur(p, (3, 3), borderType=cv2.BORDER_REFLECT)


def noise_correlation(planes: list[np.ndarray]) -> dict[str, float]:
    """Correlation of fine residuals between neighbours, on the flattest tiles.

    Photon and read noise are independent from photosite to photosite, so in flat areas a
    real RAW shows ~0 correlation between a pixel and its neighbours, within one colour
    channel or across channels. A mosaic resampled from a demosaiced, compressed picture
    inherits grain that spans several pixels and all three colours.
    """
    hp = [_highpass(p) for p in planes]
    h, w = hp[0].shape[0] // 8 * 8, hp[0].shape[1] // 8 * 8

    def tiles(a: np.ndarray) -> np.ndarray:
        return a[:h, :w].reshape(h // 8, 8, w // 8, 8).transpose(0, 2, 1, 3).reshape(-1, 64)

    g1, r, g2 = tiles(hp[1]), tiles(hp[0]), tiles(hp[2])
    act = tiles(planes[1]).std(1) + tiles(planes[0]).std(1)
    flat = act <= np.percentile(act, 25)
    if flat.sum() < 30:
        return {"cross_channel_corr": float("nan"), "lag1_corr": float("nan")}

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        a = a - a.mean(1, keepdims=True)
        b = b - b.mean(1, keepdims=True)
        den = np.sqrt((a * a).sum(1) * (b * b).sum(1)) + 1e-9
        return float(np.median((a * b).sum(1) / den))

    cross = 0.5 * (corr(g1[flat], r[flat]) + corr(g1[flat], g2[flat]))
    p1 = hp[1][:h, :w]
    lag = p1[:, 1:], p1[:, :-1]
    t1 = lag[0][:, : (w - 1) // 8 * 8]
    t0 = lag[1][:, : (w - 1) // 8 * 8]
    ww = t1.shape[1]
    a = t1.reshape(h // 8, 8, ww // 8, 8).transpose(0, 2, 1, 3).reshape(-1, 64)
    b = t0.reshape(h // 8, 8, ww // 8, 8).transpose(0, 2, 1, 3).reshape(-1, 64)
    f2 = flat.reshape(h // 8, w // 8)[:, : ww // 8].reshape(-1)
    # A 3x3 mean removal alone makes white noise anti-correlated (about -0.2); report raw.
    return {"cross_channel_corr": cross, "lag1_corr": corr(a[f2], b[f2])}


def _corner_grid(full: dict[str, float | int], tag: str, z_min: float) -> bool:
    """The pooled corner-aligned grid figure (`tag`: whole window or smoother half) passes
    `z_min`, with a trace on each axis."""
    if not full:
        return False
    key = f"jpeg_grid_z_phase0{tag}"
    trace = min(full[f"{key}_columns"], full[f"{key}_rows"])
    return full[key] >= z_min and trace >= JPEG_GRID_AXIS_MIN_PHASE0


def _grid_reason(
    full: dict[str, float | int],
    at_corner: bool,
    smooth: bool,
    shifted: bool,
    z: float,
    ratio: float,
) -> str:
    """One clause naming the strongest grid evidence with its figures."""
    if at_corner:
        excess, zz, where = (
            full["jpeg_grid_ratio_phase0"],
            full["jpeg_grid_z_phase0"],
            "aligned with the frame's corner",
        )
    elif smooth:
        excess, zz, where = (
            full["jpeg_grid_ratio_phase0_smooth"],
            full["jpeg_grid_z_phase0_smooth"],
            "aligned with the frame's corner, in its smoother half",
        )
    elif shifted:
        excess, zz, where = (
            full["jpeg_grid_ratio_any_phase"],
            full["jpeg_grid_z_any_phase"],
            f"starting {full['jpeg_grid_best_phase']} px from the frame's edge",
        )
    else:
        excess, zz, where = ratio, z, "in each colour plane"
    return (
        f"it carries the 8x8 block grid of a JPEG ({where}): steps across block seams are"
        f" {100 * (float(excess) - 1):.1f} % larger than inside blocks,"
        f" {float(zz):.1f} standard errors"
    )


def analyse_sensor_pattern(raw: RawData, md: dict[str, Any]) -> AnalysisResult:
    if raw.raw_type != "flat" or raw.cfa is None:
        ok, why, conf = layout_verdict(raw, md)
        details = {
            "tested": False,
            "explanation": why
            if not ok
            else (
                "Sensor-level tests need a colour mosaic; this camera stores processed RGB data."
            ),
        }
        return AnalysisResult("sensor_pattern", ok, 0.55 if ok else conf, details)
    planes = cfa_planes(raw)
    black = float(min(raw.black[:3])) if raw.black else 0.0
    levels = [level_count(p) for p in planes]
    min_levels = min(n for n, _ in levels)
    span = min(r for _, r in levels)
    few_levels = span >= MIN_RANGE_FOR_LEVELS and min_levels <= MAX_LEVELS_8BIT
    compression = str(md.get("compression") or "")
    # Blackmagic cameras write lossy DCT-compressed CinemaDNG under a plain "JPEG" tag, and
    # some leave Make empty: recognise them by Make or Model. An uncompressed file that
    # names such a body has no codec to excuse a grid, so it is tested like any other.
    body = f"{md.get('make') or ''} {md.get('model') or ''}".lower()
    lossy = compression in LOSSY_COMPRESSION or (
        "blackmagic" in body and compression != "Uncompressed"
    )
    z, ratio = (0.0, 1.0) if lossy else block_grid(planes)
    full_grid: dict[str, float | int] = {} if lossy else jpeg_block_grid(raw)
    grid_at_corner = _corner_grid(full_grid, "", JPEG_GRID_Z_PHASE0)
    grid_shifted = bool(full_grid) and full_grid["jpeg_grid_z_any_phase"] >= JPEG_GRID_Z_ANY_PHASE
    grid_smooth = _corner_grid(full_grid, "_smooth", JPEG_GRID_Z_PHASE0_SMOOTH)
    dct_deficit = bool(full_grid) and (
        full_grid["jpeg_dct_deficit_z"] >= JPEG_DCT_DEFICIT_Z
        and full_grid["jpeg_dct_energy_ratio"] <= JPEG_DCT_RATIO_MAX
    )
    grid_planes = z >= BLOCK_GRID_Z and ratio >= BLOCK_GRID_RATIO
    grid = grid_planes or grid_at_corner or grid_smooth or grid_shifted
    noise = noise_slope(planes, black)
    noise.update(noise_correlation(planes))
    no_shot_noise = np.isfinite(noise["noise_slope"]) and noise["noise_slope"] <= 0.0
    reasons = []
    if few_levels:
        reasons.append(
            f"its colour channels hold only {min_levels} distinct values, the mark of an 8-bit image"
        )
    if dct_deficit:
        reasons.append(
            "its 8x8 blocks on the JPEG grid hold"
            f" {100 * (1 - full_grid['jpeg_dct_energy_ratio']):.1f} % less fine-detail energy"
            " than blocks on shifted grids"
            f" ({full_grid['jpeg_dct_deficit_z']:.1f} standard errors), the mark of JPEG"
            " quantisation"
        )
    if grid:
        reasons.append(_grid_reason(full_grid, grid_at_corner, grid_smooth, grid_shifted, z, ratio))
    if no_shot_noise and few_levels:
        reasons.append("its noise does not grow with brightness as photon noise does")
    ok = not reasons
    if ok:
        explanation = (
            "The RAW's pixel values behave like a real sensor's (levels, noise, no JPEG grid)."
        )
        conf = 0.75
    else:
        explanation = (
            "The RAW looks synthesised from a processed picture: " + "; ".join(reasons) + "."
        )
        conf = 0.95 if len(reasons) > 1 else 0.9
    details = {
        "tested": True,
        "levels_per_channel": [n for n, _ in levels],
        "level_range_dn": span,
        "max_levels_8bit": MAX_LEVELS_8BIT,
        "block_grid_z": z,
        "block_grid_ratio": ratio,
        "block_grid_z_min": BLOCK_GRID_Z,
        "block_grid_ratio_min": BLOCK_GRID_RATIO,
        "block_grid_skipped_lossy": lossy,
        **full_grid,
        "jpeg_grid_z_phase0_min": JPEG_GRID_Z_PHASE0,
        "jpeg_grid_axis_z_phase0_min": JPEG_GRID_AXIS_MIN_PHASE0,
        "jpeg_grid_z_any_phase_min": JPEG_GRID_Z_ANY_PHASE,
        "jpeg_grid_z_phase0_smooth_min": JPEG_GRID_Z_PHASE0_SMOOTH,
        "jpeg_dct_deficit_z_min": JPEG_DCT_DEFICIT_Z,
        "jpeg_dct_energy_ratio_max": JPEG_DCT_RATIO_MAX,
        "jpeg_dct_explanation": (
            "Fine DCT coefficients (u + v >= 8) of 8x8 blocks cut on the frame-corner grid,"
            " against the same blocks cut on grids shifted by 2-6 px: JPEG quantisation"
            " leaves a deficit on its own grid only; a sensor has no preferred grid."
        ),
        "jpeg_grid_smooth_explanation": (
            "The corner-aligned grid measured only where the frame is smoother than its median"
            " (texture and added noise hide seams elsewhere); it needs the same trace on each"
            " axis as the whole-frame figure."
        ),
        **noise,
        "explanation": explanation,
    }
    return AnalysisResult("sensor_pattern", ok, conf, details)
