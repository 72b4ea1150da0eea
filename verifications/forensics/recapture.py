from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage

from .decode import RawData
from .moire import chroma_asymmetry, colour_planes
from .report import AnalysisResult

TILE = 256
MAX_TILES = 12
LOW_FREQ = 0.06  # cycles/sample of the colour plane: scene structure lives below this
# Peak prominence: log power over its 9x9 spectral neighbourhood median, averaged tiles.
# Authentic RAWs top out at 4.2 (a Panasonic LX7 scene, which 3.4 wrongly rejected;
# corpus cameras and the other synthetic scenes <= 3.6); prints start at 5.9. Most screens
# with weaker lattice peaks are caught by the colour-phase test below instead.
PEAK_MIN = 4.5
PEAK_LEVEL = 3.0  # peaks above this are counted...
PEAK_COUNT_MIN = 5  # ...a screen or halftone makes a lattice of them, not one or two
# A screen's subpixel grid or a print's halftone folds onto fine spatial frequencies of
# the mosaic; periodic scene texture (brick, fences, chain mail) keeps its fundamental
# and strong harmonics low (measured: all authentic peaks at r <= 0.14, recaptures
# mostly above 0.2). Only peaks beyond this radius count as evidence.
HIGH_FREQ = 0.2
# Colour-phase moire (see moire.py): log of |Z(f)|^2 / |Z(-f)|^2. Genuine RAWs top out at
# 2.2 (a red fundus photo), brick and grass at 0.8, a real camera's sunlit water at 1.0;
# screens reach 3.0-4.7, also the dark and near-sensor-pitch ones the peaks above miss.
ASYM_MIN = 2.6


def _plane(raw: RawData) -> np.ndarray:
    m = raw.mosaic
    if raw.raw_type == "flat" and raw.cfa is not None:
        # One green site per 2x2 cell: the densest single-colour lattice, free of CFA beats.
        desc = raw.color_desc
        sites = [(dy, dx) for dy in (0, 1) for dx in (0, 1) if desc[int(raw.cfa[dy, dx])] == "G"]
        dy, dx = sites[0] if sites else (0, 1)
        return m[dy::2, dx::2].astype(np.float32)
    return m[..., 1].astype(np.float32) if m.ndim == 3 else m.astype(np.float32)


def spectrum_peaks(plane: np.ndarray) -> tuple[float, int, float]:
    """(top prominence, peak pairs) at high frequency, and the top prominence below it."""
    hp = plane - ndimage.uniform_filter(plane, 5)
    h, w = hp.shape
    ys = list(range(0, max(1, h - TILE + 1), TILE))
    xs = list(range(0, max(1, w - TILE + 1), TILE))
    if h < TILE or w < TILE:
        return 0.0, 0, 0.0
    spots = [(y, x) for y in ys for x in xs]
    step = max(1, len(spots) // MAX_TILES)
    win = np.outer(np.hanning(TILE), np.hanning(TILE)).astype(np.float32)
    acc = np.zeros((TILE, TILE), np.float64)
    for y, x in spots[::step][:MAX_TILES]:
        t = hp[y : y + TILE, x : x + TILE]
        t = (t - t.mean()) / (t.std() + 1e-6)
        acc += np.abs(np.fft.fft2(t * win)) ** 2
    logp = np.log(np.fft.fftshift(acc) + 1e-9)
    bg = ndimage.median_filter(logp, size=9)
    prom = logp - bg
    f = np.fft.fftshift(np.fft.fftfreq(TILE))
    fy, fx = np.meshgrid(f, f, indexing="ij")
    mask = np.hypot(fy, fx) > LOW_FREQ
    mask &= (np.abs(fy) > 1.5 / TILE) & (np.abs(fx) > 1.5 / TILE)  # window leakage on axes
    high = mask & (np.hypot(fy, fx) > HIGH_FREQ)
    vals = prom[high]
    low = prom[mask & ~high]
    top = float(vals.max()) if vals.size else 0.0
    count = int((vals > PEAK_LEVEL).sum() // 2)  # a real spectrum is symmetric: pairs
    return top, count, float(low.max()) if low.size else 0.0


def analyse_recapture(raw: RawData, md: dict[str, Any]) -> AnalysisResult:
    plane = _plane(raw)
    top, count, low_top = spectrum_peaks(plane)
    lattice = top > PEAK_MIN and count >= PEAK_COUNT_MIN
    colour = colour_planes(raw)
    asym, asym_freq, fold, asym_tiles = (
        chroma_asymmetry(*colour) if colour else (0.0, (0.0, 0.0), "-", 0)
    )
    subpixels = asym > ASYM_MIN
    ok = not (lattice or subpixels)
    if ok:
        explanation = "The RAW shows no screen-pixel or print-dot pattern: not a photo of a photo."
        margin = min(PEAK_MIN - top, 2 * (ASYM_MIN - asym))
        conf = float(np.clip(0.7 + 0.1 * margin, 0.6, 0.9))
    elif subpixels and not lattice:
        explanation = (
            "The RAW's red, green and blue carry one fine stripe pattern a third of a period "
            "apart, as a screen's subpixels do: a photo of a screen."
        )
        conf = float(np.clip(0.7 + 0.1 * (asym - ASYM_MIN), 0.7, 0.97))
    else:
        explanation = (
            "The RAW holds a regular dot or pixel grid, as when photographing a screen or a print."
        )
        conf = 0.7 + 0.1 * max(top - PEAK_MIN, asym - ASYM_MIN) + 0.02 * count
        conf = float(np.clip(conf, 0.7, 0.97))
    details = {
        "peak_prominence": top,
        "peak_count": count,
        "peak_min_frequency": HIGH_FREQ,
        "low_frequency_prominence": low_top,
        "peak_prominence_min": PEAK_MIN,
        "peak_count_min": PEAK_COUNT_MIN,
        "peak_level": PEAK_LEVEL,
        "colour_phase_asymmetry": asym,
        "colour_phase_asymmetry_min": ASYM_MIN,
        "colour_phase_frequency": [round(asym_freq[0], 4), round(asym_freq[1], 4)],
        "colour_phase_fold": fold,
        "colour_phase_tiles": asym_tiles,
        "colour_phase_explanation": (
            "Log ratio of the power at f and at -f of R + wG + w^2B (w a third of a turn): "
            "a screen's subpixels put their moire on one side only, real textures on both; "
            "frequency in cycles per sensor pixel; fold: how the grid folded onto the "
            "colour planes (direct, or sign-flipped in odd columns / rows)."
        ),
        "explanation": explanation,
    }
    return AnalysisResult("recapture", ok, conf, details)
