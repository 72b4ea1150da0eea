from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage

from .decode import RawData
from .report import AnalysisResult

TILE = 256
MAX_TILES = 12
LOW_FREQ = 0.06  # cycles/sample of the colour plane: scene structure lives below this
# Peak prominence: log power over its 9x9 spectral neighbourhood median, averaged tiles.
# Authentic RAWs (synthetic scenes, corpus cameras) top out near 3.1; recaptures start ~3.7.
PEAK_MIN = 3.4
PEAK_LEVEL = 3.0  # peaks above this are counted...
PEAK_COUNT_MIN = 5  # ...a screen or halftone makes a lattice of them, not one or two
# A screen's subpixel grid or a print's halftone folds onto fine spatial frequencies of
# the mosaic; periodic scene texture (brick, fences, chain mail) keeps its fundamental
# and strong harmonics low (measured: all authentic peaks at r <= 0.14, recaptures
# mostly above 0.2). Only peaks beyond this radius count as evidence.
HIGH_FREQ = 0.2


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
    ok = not (top > PEAK_MIN and count >= PEAK_COUNT_MIN)
    if ok:
        explanation = "The RAW shows no screen-pixel or print-dot pattern: not a photo of a photo."
        conf = float(np.clip(0.7 + 0.1 * (PEAK_MIN - top), 0.6, 0.9))
    else:
        explanation = (
            "The RAW holds a regular dot or pixel grid, as when photographing a screen or a print."
        )
        conf = float(np.clip(0.7 + 0.1 * (top - PEAK_MIN) + 0.02 * count, 0.7, 0.97))
    details = {
        "peak_prominence": top,
        "peak_count": count,
        "peak_min_frequency": HIGH_FREQ,
        "low_frequency_prominence": low_top,
        "peak_prominence_min": PEAK_MIN,
        "peak_count_min": PEAK_COUNT_MIN,
        "peak_level": PEAK_LEVEL,
        "explanation": explanation,
    }
    return AnalysisResult("recapture", ok, conf, details)
