"""Colour-phase moiré: the signature of an RGB subpixel grid photographed through a CFA.

A screen's R, G and B subpixels are the same stripe lattice shifted by a third of a pitch
per colour. Whatever frequency the lattice aliases to on the sensor, the three colour
planes then carry it with phases 120 degrees apart. Combine the planes as one complex
signal Z = R + w G + w^2 B (w = e^(2 pi i / 3)): a three-phase pattern lands on one side
of the spectrum only (|Z(f)| >> |Z(-f)|), while anything the colours share up to a real
factor (grey or coloured brick, fences, foliage, any single texture) has a symmetric
spectrum (|Z(f)| = |Z(-f)|), whatever its frequency. The figure is the largest log ratio
|Z(f)|^2 / |Z(-f)|^2 over the spectrum, averaged over tiles and smoothed over neighbouring
frequencies, so a weak but coherent moiré (a dark screen, a pitch close to the sensor's,
where the beat folds to low frequencies beside the scene's own structure) still stands out.
"""

from __future__ import annotations

import numpy as np
from scipy import fft as sfft
from scipy import ndimage

from .decode import RawData

TILE = 256  # samples of a colour plane (2 sensor pixels each)
MAX_TILES = 16  # half-overlapping tiles, spread evenly over the frame
SMOOTH = 5  # frequency bins averaged around each frequency before comparing f with -f
LOW_FREQ = 0.03  # cycles/sample: below this the window's leakage of the picture dominates
# Next to the colour plane's Nyquist frequency a scene's own aliased detail cannot be put
# back on the sensor grid unambiguously (f and f - 1 differ by a half-pixel shift), which
# makes real detail look asymmetric; the screens' beats measured here all lie inside it.
HIGH_FREQ = 0.42
# Under the odd-fold hypotheses, a genuine scene's own detail just below the plane's
# Nyquist folds the same way and mixes with its unfolded detail: only the lower band,
# where that would need detail near the sensor's Nyquist (which lenses blur), is searched.
ODD_HIGH_FREQ = 0.3
# Sign flips (rows, columns) of the sites in odd rows / columns: how the lattice folded.
HYPOTHESES = {"direct": (0, 0), "odd columns": (0, 1), "odd rows": (1, 0), "odd both": (1, 1)}
W3 = np.exp(2j * np.pi / 3)


def colour_planes(
    raw: RawData,
) -> tuple[list[np.ndarray], list[tuple[int, int]], list[float]] | None:
    """R, G, G, B planes (strided views of the mosaic, no copy), each one's (dy, dx) site
    in the 2x2 cell and its black level; None when the RAW has no RGB colour planes."""
    m = raw.mosaic
    black = list(raw.black) + [0.0] * 4
    if raw.raw_type != "flat" or raw.cfa is None:
        if m.ndim != 3 or m.shape[2] < 3:
            return None
        chans = [0, 1, 1, 2]
        return [m[..., c] for c in chans], [(0, 0)] * 4, [float(black[c]) for c in chans]
    if raw.cfa.shape != (2, 2):
        return None  # X-Trans and other large patterns: no 2x2 colour planes
    desc = raw.color_desc
    sites: dict[str, list[tuple[int, int]]] = {}
    for dy in (0, 1):
        for dx in (0, 1):
            sites.setdefault(desc[int(raw.cfa[dy, dx])], []).append((dy, dx))
    if len(sites.get("R", [])) != 1 or len(sites.get("G", [])) != 2 or len(sites.get("B", [])) != 1:
        return None  # not an RGGB-family Bayer pattern
    offs = [sites["R"][0], sites["G"][0], sites["G"][1], sites["B"][0]]
    h, w = m.shape[0] // 2 * 2, m.shape[1] // 2 * 2
    planes = [m[dy:h:2, dx:w:2] for dy, dx in offs]
    return planes, offs, [float(black[int(raw.cfa[dy, dx])]) for dy, dx in offs]


def _tiles(h: int, w: int, tile: int) -> list[tuple[int, int]]:
    step = tile // 2
    spots = [(y, x) for y in range(0, h - tile + 1, step) for x in range(0, w - tile + 1, step)]
    if len(spots) <= MAX_TILES:
        return spots
    idx = np.linspace(0, len(spots) - 1, MAX_TILES).round().astype(int)
    return [spots[i] for i in idx]


def chroma_asymmetry(
    planes: list[np.ndarray], offsets: list[tuple[int, int]], blacks: list[float]
) -> tuple[float, tuple[float, float], str, int]:
    """(log asymmetry, its frequency (fy, fx) in cycles per sensor pixel, the sampling
    hypothesis it was found under, tiles used)."""
    h, w = planes[0].shape
    tile = TILE
    while tile > 64 and tile > min(h, w):
        tile //= 2
    if tile > min(h, w):
        return 0.0, (0.0, 0.0), "-", 0
    spots = _tiles(h, w, tile)
    f = sfft.fftfreq(tile).astype(np.float32)
    fy, fx = np.meshgrid(f, f, indexing="ij")
    # Sub-pixel alignment of each plane to the sensor origin (exact for detail below the
    # plane's Nyquist), and the three-phase weights, in one complex factor per plane.
    weights = (1.0, W3 / 2, W3 / 2, W3**2)
    phase = np.stack(
        [
            wt * np.exp(-1j * np.pi * (fy * oy + fx * ox))
            for wt, (oy, ox) in zip(weights, offsets, strict=True)
        ]
    ).astype(np.complex64)
    # A lattice finer than 2 sensor pixels folds onto the plane's band from an odd multiple
    # of half the sampling rate along x, y or both: then the sites in odd columns (rows)
    # see it with its sign flipped. One sign pattern per hypothesis restores the three-phase
    # sum; genuine detail is real-valued under every one of them.
    signs = {
        name: np.array([(-1.0) ** (py * oy + px * ox) for oy, ox in offsets], np.float32)
        for name, (py, px) in HYPOTHESES.items()
    }
    win = np.outer(np.hanning(tile), np.hanning(tile)).astype(np.float32)
    fs = sfft.fftshift(f)
    gy, gx = np.meshgrid(fs, fs, indexing="ij")
    band = np.hypot(gy, gx) > LOW_FREQ
    band &= (np.abs(gy) > 1.5 / tile) & (np.abs(gx) > 1.5 / tile)  # window leakage on axes
    reach = np.maximum(np.abs(gy), np.abs(gx))
    masks = {n: band & (reach < (HIGH_FREQ if n == "direct" else ODD_HIGH_FREQ)) for n in signs}
    # per-tile weights from a sample of each hypothesis' band, in unshifted bin order
    sample = {n: np.flatnonzero(sfft.ifftshift(m))[::3] for n, m in masks.items()}
    acc = {n: np.zeros((tile, tile), np.float64) for n in signs}
    for y, x in spots:
        t = np.stack([p[y : y + tile, x : x + tile] for p in planes]).astype(np.float32)
        t -= np.asarray(blacks, np.float32)[:, None, None]
        mean = t.mean(axis=(1, 2), keepdims=True)
        # relative modulation: equalises the planes' white balance so grey detail cancels in Z
        t = (t / np.maximum(mean, 1e-3) - 1.0) * win
        spec = sfft.fft2(t, axes=(1, 2)) * phase
        for name, sg in signs.items():
            zc = spec[0] * sg[0] + spec[1] * sg[1] + spec[2] * sg[2] + spec[3] * sg[3]
            z = zc.real**2 + zc.imag**2
            # Each tile counts as one vote (its power over its band's median): a screen's
            # beat is in every tile that shows the screen, while a local colour-shifted
            # texture (sun glints on water ripples in a real frame) would otherwise carry
            # the sum from one tile.
            acc[name] += z / max(float(np.median(z.ravel()[sample[name]])), 1e-20)
    for name in acc:
        acc[name] = sfft.fftshift(ndimage.uniform_filter(acc[name], SMOOTH, mode="wrap"))
    best = (-np.inf, (0.0, 0.0), "-")
    for name, a in acc.items():
        mirror = np.roll(a[::-1, ::-1], (1, 1), (0, 1))  # mirror[k] = a[-k]
        lr = np.where(masks[name], np.log((a + 1e-20) / (mirror + 1e-20)), -np.inf)
        ky, kx = divmod(int(np.argmax(lr)), tile)
        if lr[ky, kx] > best[0]:
            best = (float(lr[ky, kx]), (float(gy[ky, kx]) / 2, float(gx[ky, kx]) / 2), name)
    return best[0], best[1], best[2], len(spots)
