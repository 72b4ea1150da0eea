"""Traces a JPEG leaves in a mosaic synthesised from it (a "fake RAW").

A fake RAW is made by linearising a published JPEG and sampling it through a colour
filter array. Whatever noise the faker adds, the picture underneath still carries the
JPEG's 8x8 block transform: every block was quantised on its own, so the step between two
pixels that straddle a block seam is larger, on average over the whole frame, than the
step between two pixels inside a block. A real sensor has no reason to favour one column
or row in eight.
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


def _seam_profile(m: np.ndarray, axis: int) -> np.ndarray:
    """Mean relative |step residual| per pixel position along `axis`, positions 2 .. n-4.

    The step between pixel j and j+1 is compared with the mean of the steps two pixels
    before and after (same pair of colours): that removes the colour of the pair and the
    local gradient of the scene, and leaves what is abrupt at j, such as a block seam. Each
    residual is then divided by its neighbours' mean over 9 positions along the same line,
    so a textured row and a smooth row weigh the same: JPEG seams are plain in smooth
    areas, and texture would otherwise drown them. The window is centred on every position
    alike, so no phase is favoured when there is no grid.
    """
    lines = m if axis == 1 else np.ascontiguousarray(m.T)  # steps run along each row
    d = np.diff(lines, axis=1)
    r = np.abs(d[:, 2:-2] - 0.5 * (d[:, :-4] + d[:, 4:]))
    local = cv2.blur(r, (NORM_WINDOW, 1), borderType=cv2.BORDER_REFLECT)
    return (r / (local + RESIDUAL_EPS)).mean(0)


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


def jpeg_block_grid(raw: RawData) -> dict[str, float | int]:
    """JPEG-seam evidence: per phase, a z-score for column seams and one for row seams.

    Two figures are kept. At phase 0 (blocks starting at the frame's corner: a JPEG turned
    whole into a mosaic) the two axes are pooled, (z_columns + z_rows) / sqrt 2, provided
    each axis shows at least a trace. Over all 8 phases (a cropped or shifted JPEG) the
    weaker axis is kept, because a scene (a fence, a brick wall) or a sensor's column
    pattern can favour one phase along one axis, whereas a JPEG grid shows on both.
    """
    m = _white_balanced(raw)
    zh, rh = _seam_z(_seam_profile(m, 1), 2)  # vertical seams: steps between columns
    zv, rv = _seam_z(_seam_profile(m, 0), 2)  # horizontal seams: steps between rows
    corner = BLOCK - 1  # the step after pixel 7 crosses the seam of blocks starting at 0
    both = np.minimum(zh, zv)
    k = int(np.argmax(both))
    return {
        "jpeg_grid_z_phase0": float((zh[corner] + zv[corner]) / np.sqrt(2.0)),
        "jpeg_grid_z_phase0_columns": float(zh[corner]),
        "jpeg_grid_z_phase0_rows": float(zv[corner]),
        "jpeg_grid_ratio_phase0": float(min(rh[corner], rv[corner])),
        "jpeg_grid_z_any_phase": float(both[k]),
        "jpeg_grid_best_phase": (k + 1) % BLOCK,  # first pixel of a block, from the edge
        "jpeg_grid_ratio_any_phase": float(min(rh[k], rv[k])),
        "jpeg_grid_window_px": int(min(m.shape[:2])),
    }
