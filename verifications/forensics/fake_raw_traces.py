"""Traces a JPEG leaves in a mosaic synthesised from it (a "fake RAW").

A fake RAW is made by linearising a published JPEG and sampling it through a colour
filter array. Whatever noise the faker adds, the picture underneath still carries the
JPEG's 8x8 block transform: every block was quantised on its own, so the step between two
pixels that straddle a block seam is larger, on average over the whole frame, than the
step between two pixels inside a block. A real sensor has no reason to favour one column
or row in eight.

In a heavily textured scene, or once a faker has added sensor noise, the texture's own steps
drown the seams where the picture is busy; they still show where it is smooth. So the
grid is also measured over the smoother half of the frame alone (by local step activity),
which no genuine sensor favours either.

At the highest qualities (96 and up) the seams fall below the noise, but quantisation still
does something a sensor cannot: it rounds each block's finest DCT coefficients towards zero.
Cut the mosaic into 8x8 blocks on the JPEG's grid and those coefficients hold less energy
than in blocks cut on any other grid; a genuine mosaic has no preferred grid. Offsets are
even, so every block holds the same colour-filter layout and the comparison stays fair.
"""

from __future__ import annotations

import cv2
import numpy as np

from .decode import RawData

BLOCK = 8  # JPEG's DCT block, in pixels; the mosaic keeps the JPEG's pixel grid
# Central window side (pixels, a multiple of 8): ~4 M photosites are plenty for a
# frame-wide average, and keep a 24 MP file well under the speed budget.
GRID_WINDOW = 2048
NORM_WINDOW = 9  # positions whose mean residual scales each residual (a block and one)
RESIDUAL_EPS = 1e-4  # on a mean-1 scale: keeps clipped, perfectly flat areas at zero
# Texture level around each step: box of 16 x 16 positions (two blocks each way, so every
# phase of the 8-pixel grid weighs the same in it). Steps whose texture level is at most
# the frame's median form the "smooth half".
ACTIVITY_WINDOW = 16
SMOOTH_SHARE = 0.5
# DCT-energy test: a central window of at most 1024 x 1024 (16 k blocks) is plenty and
# costs ~0.1 s (6 cuts). Coefficients with u + v >= 8 are the finest 28 of 64, the ones a JPEG
# quantiser zeroes first. Reference grids are shifted by an even amount on both axes (so
# they share no seam with the tested grid and keep the CFA layout).
DCT_WINDOW = 1024
DCT_HIGH_UV = 8
DCT_SHIFTS = ((4, 4), (2, 2), (2, 6), (6, 2), (6, 6))
DCT_MIN_ACTIVITY = 1e-3  # on the mean-1 scale: skip blocks a clip left perfectly flat
_DCT = np.array(
    [
        [
            np.sqrt((1 if k == 0 else 2) / BLOCK) * np.cos(np.pi * (2 * n + 1) * k / (2 * BLOCK))
            for n in range(BLOCK)
        ]
        for k in range(BLOCK)
    ],
    np.float32,
)
_UV = np.add.outer(np.arange(BLOCK), np.arange(BLOCK)).reshape(-1)


def _white_balanced(raw: RawData) -> np.ndarray:
    """Central window of the mosaic, each CFA site scaled to mean 1 (float32).

    Balancing the four sites makes a full-resolution "luma" out of the mosaic, so steps
    between neighbouring photosites measure the picture rather than the colour filter.
    """
    m = raw.mosaic
    h, w = m.shape[0] // BLOCK * BLOCK, m.shape[1] // BLOCK * BLOCK
    ch, cw = min(h, GRID_WINDOW), min(w, GRID_WINDOW)
    # Offsets that are multiples of 8 keep both the CFA phase and any JPEG grid phase.
    y0, x0 = (h - ch) // 2 // BLOCK * BLOCK, (w - cw) // 2 // BLOCK * BLOCK
    out = m[y0 : y0 + ch, x0 : x0 + cw].astype(np.float32)
    black = float(np.mean(raw.black[:4])) if raw.black else 0.0
    out -= np.float32(black)
    for dy in (0, 1):
        for dx in (0, 1):
            site = out[dy::2, dx::2]
            site *= np.float32(1.0 / max(float(site.mean()), 1.0))
    return out


def _seam_profiles(m: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean relative |step residual| per pixel position along `axis`, positions 2 .. n-4,
    over the whole window and over its smoother half.

    The step between pixel j and j+1 is compared with the mean of the steps two pixels
    before and after (same pair of colours): that removes the colour of the pair and the
    local gradient of the scene, and leaves what is abrupt at j, such as a block seam. Each
    residual is then divided by its neighbours' mean over 9 positions along the same line,
    so a textured row and a smooth row weigh the same: JPEG seams are plain in smooth
    areas, and texture would otherwise drown them. The window is centred on every position
    alike, so no phase is favoured when there is no grid. The smooth half keeps the steps
    whose 16 x 16 neighbourhood of residuals is at or below the median: there a JPEG seam
    stands out from texture and added noise far better than in grass or foliage.
    """
    lines = m if axis == 1 else np.ascontiguousarray(m.T)  # steps run along each row
    d = np.diff(lines, axis=1)
    r = np.abs(d[:, 2:-2] - 0.5 * (d[:, :-4] + d[:, 4:]))
    local = cv2.blur(r, (NORM_WINDOW, 1), borderType=cv2.BORDER_REFLECT)
    rel = r / (local + RESIDUAL_EPS)
    act = cv2.blur(r, (ACTIVITY_WINDOW, ACTIVITY_WINDOW), borderType=cv2.BORDER_REFLECT)
    sample = act[::7, ::7].reshape(-1)  # a strided sample sets the median: fast at 24 MP
    k = int(SMOOTH_SHARE * (sample.size - 1))
    cut = np.partition(sample, k)[k]
    smooth = (act <= cut).astype(np.float32)
    kept = smooth.sum(0)
    smooth_profile = (rel * smooth).sum(0) / np.maximum(kept, 1.0)
    return rel.mean(0), smooth_profile


def _seam_z(profile: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """z-score and ratio of each of the 8 phases against the other phases of its parity.

    `profile[i]` belongs to the step after pixel i + offset. Steps after even and odd pixels
    join different colour pairs in the mosaic (R->G, G->R), so a phase is compared only with
    the three others of its parity. The standard error comes from the spread over the
    frame's 8-pixel periods, so one strong scene edge counts once, not once per row.
    """
    i0 = (-offset) % BLOCK
    n = (len(profile) - i0) // BLOCK * BLOCK
    per = profile[i0 : i0 + n].reshape(-1, BLOCK)  # periods x phase
    z = np.zeros(BLOCK)
    ratio = np.ones(BLOCK)
    if per.shape[0] < 8:
        return z, ratio
    for k in range(BLOCK):
        same = [j for j in range(k % 2, BLOCK, 2) if j != k]
        diff = per[:, k] - per[:, same].mean(1)
        se = diff.std() / np.sqrt(len(diff)) + 1e-12
        z[k] = diff.mean() / se
        ratio[k] = per[:, k].mean() / max(float(per[:, same].mean()), 1e-12)
    return z, ratio


def _block_high_share(m: np.ndarray, dy: int, dx: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per 8x8 block cut at (dy, dx): mean |finest DCT coefficient| over mean |AC coefficient|,
    and the mean |AC coefficient| itself (n x n blocks)."""
    b = m[dy : dy + n * BLOCK, dx : dx + n * BLOCK].reshape(n, BLOCK, n, BLOCK)
    c = np.abs(_DCT @ b.transpose(0, 2, 1, 3) @ _DCT.T).reshape(n * n, BLOCK * BLOCK)
    ac = c[:, 1:].mean(1)
    high = c[:, _UV >= DCT_HIGH_UV].mean(1)
    return high / (ac + RESIDUAL_EPS), ac


def jpeg_dct_deficit(m: np.ndarray) -> dict[str, float | int]:
    """How much less fine-DCT energy blocks on the corner-aligned 8x8 grid hold than blocks
    on shifted grids, as a z-score over blocks (positive: a deficit, as a JPEG leaves).

    Each block's share of fine energy is compared on a log scale with the mean log share of
    the same block moved by each shift, so a scene's texture cancels and, with no grid,
    every block's difference has mean zero; the standard error is the spread over blocks.
    """
    h, w = m.shape[:2]
    side = min(h, w, DCT_WINDOW + BLOCK) // BLOCK * BLOCK - BLOCK  # room for the shifts
    if side < 16 * BLOCK:
        return {"jpeg_dct_deficit_z": 0.0, "jpeg_dct_energy_ratio": 1.0, "jpeg_dct_blocks": 0}
    y0 = (h - side - BLOCK) // 2 // BLOCK * BLOCK
    x0 = (w - side - BLOCK) // 2 // BLOCK * BLOCK
    win = m[y0 : y0 + side + BLOCK, x0 : x0 + side + BLOCK]
    n = side // BLOCK
    share0, act0 = _block_high_share(win, 0, 0, n)
    ok = act0 > DCT_MIN_ACTIVITY
    ref = np.zeros_like(share0)
    for dy, dx in DCT_SHIFTS:
        share, act = _block_high_share(win, dy, dx, n)
        ok &= act > DCT_MIN_ACTIVITY
        ref += np.log(share + RESIDUAL_EPS)
    diff = (np.log(share0 + RESIDUAL_EPS) - ref / len(DCT_SHIFTS))[ok]
    if diff.size < 64:
        return {"jpeg_dct_deficit_z": 0.0, "jpeg_dct_energy_ratio": 1.0, "jpeg_dct_blocks": 0}
    se = float(diff.std()) / np.sqrt(diff.size) + 1e-12
    return {
        "jpeg_dct_deficit_z": float(-diff.mean() / se),
        "jpeg_dct_energy_ratio": float(np.exp(diff.mean())),
        "jpeg_dct_blocks": int(diff.size),
    }


def _phase0(
    zh: np.ndarray, zv: np.ndarray, rh: np.ndarray, rv: np.ndarray, tag: str
) -> dict[str, float]:
    corner = BLOCK - 1  # the step after pixel 7 crosses the seam of blocks starting at 0
    return {
        f"jpeg_grid_z_phase0{tag}": float((zh[corner] + zv[corner]) / np.sqrt(2.0)),
        f"jpeg_grid_z_phase0{tag}_columns": float(zh[corner]),
        f"jpeg_grid_z_phase0{tag}_rows": float(zv[corner]),
        f"jpeg_grid_ratio_phase0{tag}": float(min(rh[corner], rv[corner])),
    }


def jpeg_block_grid(raw: RawData) -> dict[str, float | int]:
    """JPEG-seam evidence: per phase, a z-score for column seams and one for row seams.

    Two figures are kept. At phase 0 (blocks starting at the frame's corner: a JPEG turned
    whole into a mosaic) the two axes are pooled, (z_columns + z_rows) / sqrt 2, provided
    each axis shows at least a trace; this is measured over the whole window and again over
    its smoother half. Over all 8 phases (a cropped or shifted JPEG) the weaker axis is
    kept, because a scene (a fence, a brick wall) or a sensor's column pattern can favour
    one phase along one axis, whereas a JPEG grid shows on both.
    """
    m = _white_balanced(raw)
    ph, sh = _seam_profiles(m, 1)  # vertical seams: steps between columns
    pv, sv = _seam_profiles(m, 0)  # horizontal seams: steps between rows
    zh, rh = _seam_z(ph, 2)
    zv, rv = _seam_z(pv, 2)
    szh, srh = _seam_z(sh, 2)
    szv, srv = _seam_z(sv, 2)
    both = np.minimum(zh, zv)
    k = int(np.argmax(both))
    return {
        **_phase0(zh, zv, rh, rv, ""),
        **_phase0(szh, szv, srh, srv, "_smooth"),
        "jpeg_grid_z_any_phase": float(both[k]),
        "jpeg_grid_best_phase": (k + 1) % BLOCK,  # first pixel of a block, from the edge
        "jpeg_grid_ratio_any_phase": float(min(rh[k], rv[k])),
        "jpeg_grid_window_px": int(min(m.shape[:2])),
        **jpeg_dct_deficit(m),
    }
