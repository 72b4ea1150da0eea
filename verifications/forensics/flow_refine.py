"""Sub-pixel alignment left over after the global registration.

One similarity transform cannot follow lens distortion corrections, a converter's own
distortion profile or the far corners of a strong crop: a pixel or two of drift there reads
as changed structure. A dense optical flow, reduced to a block-median field and limited to a
few pixels, follows such smooth drift but cannot move one object relative to its
surroundings, so it hides no local edit.
"""

from __future__ import annotations

import cv2
import numpy as np

from .imaging import luma

MAX_SHIFT = 3.0  # px at analysis resolution
BLOCK = 24  # px: one flow vector per block (median), then a 5x5 block median filter


def refine_alignment(pred: np.ndarray, target: np.ndarray, *also: np.ndarray) -> list[np.ndarray]:
    """`pred` (and `also`, registered like it) resampled so that its fine structure sits
    where the target's does."""
    g_p = np.clip(luma(pred) * 255, 0, 255).astype(np.uint8)
    g_t = np.clip(luma(target) * 255, 0, 255).astype(np.uint8)
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_FAST)
    flow = dis.calc(g_t, g_p, None)  # target(x) ~ pred(x + flow(x))
    h, w = g_t.shape
    bh, bw = h // BLOCK, w // BLOCK
    if bh < 3 or bw < 3:
        return [pred, *also]
    blocks = flow[: bh * BLOCK, : bw * BLOCK].reshape(bh, BLOCK, bw, BLOCK, 2)
    field = np.median(blocks, axis=(1, 3)).astype(np.float32)
    field = np.stack([cv2.medianBlur(np.ascontiguousarray(field[..., c]), 5) for c in (0, 1)], -1)
    field = np.clip(cv2.GaussianBlur(field, (0, 0), 1.0), -MAX_SHIFT, MAX_SHIFT)
    field = cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    map_x, map_y = xx + field[..., 0], yy + field[..., 1]
    return [
        cv2.remap(a, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        for a in (pred, *also)
    ]
