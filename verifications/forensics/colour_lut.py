"""The global colour mapping as a lookup table, learnt from the whole picture.

The recipe (matrix + curves) models the edits a converter's sliders make, but not every
profile, hue-dependent saturation or black-and-white channel mix exactly. Whatever the
photographer did globally, pixels of one RAW colour all moved the same way wherever they
are; a local edit moves only the pixels in one place. So the median change per RAW colour
is the global part, and what is left is local.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

L_BINS, AB_BINS = 11, 13
AB_RANGE = 72.0  # Lab a/b beyond this share the outermost cell
MIN_COUNT = 40  # samples a cell needs for its own median; emptier cells borrow the nearest
SAMPLE_STEP = 3  # every 3rd pixel each way: ~80 k samples at 1024 px are plenty


def _cell_coords(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    el = np.clip(lab[..., 0] / 100.0, 0, 1) * (L_BINS - 1)
    ab = (np.clip(lab[..., 1:], -AB_RANGE, AB_RANGE) + AB_RANGE) / (2 * AB_RANGE)
    return el, ab[..., 0] * (AB_BINS - 1), ab[..., 1] * (AB_BINS - 1)


def _offset_table(
    lab_p: np.ndarray, lab_t: np.ndarray, key: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    s = SAMPLE_STEP
    sel = valid[::s, ::s]
    p, t, k = lab_p[::s, ::s][sel], lab_t[::s, ::s][sel], key[::s, ::s][sel]
    el, a, b = (np.rint(c).astype(np.int64) for c in _cell_coords(k))
    n = L_BINS * AB_BINS * AB_BINS
    idx = (el * AB_BINS + a) * AB_BINS + b
    order = np.argsort(idx, kind="stable")
    sidx = idx[order]
    starts = np.searchsorted(sidx, np.arange(n))
    ends = np.searchsorted(sidx, np.arange(n), side="right")
    full = np.nonzero(ends - starts >= MIN_COUNT)[0]
    diff = (t - p)[order]
    table = np.zeros((n, 3), np.float32)
    for k in full:
        table[k] = np.median(diff[starts[k] : ends[k]], axis=0)
    table = table.reshape(L_BINS, AB_BINS, AB_BINS, 3)
    have = np.zeros(n, bool)
    have[full] = True
    have = have.reshape(L_BINS, AB_BINS, AB_BINS)
    if have.any() and not have.all():
        _, near = ndimage.distance_transform_edt(~have, return_indices=True)
        table = table[near[0], near[1], near[2]]
    return table


def local_residual(
    lab_p: np.ndarray, lab_t: np.ndarray, valid: np.ndarray, key: np.ndarray | None = None
) -> np.ndarray:
    """Lab difference (image - prediction) minus the change shared by every pixel of its colour.

    `key` is the Lab colour the table is indexed by, the RAW's own colour where known: a
    black-and-white recipe has already collapsed the prediction's hues, but a channel mix
    still treats a red object unlike a grey one of the same prediction.
    """
    key = lab_p if key is None else key
    table = _offset_table(lab_p, lab_t, key, valid)
    coords = np.stack([c.ravel() for c in _cell_coords(key)])
    offset = np.stack(
        [ndimage.map_coordinates(table[..., c], coords, order=1, mode="nearest") for c in range(3)],
        axis=-1,
    ).reshape(lab_p.shape)
    return (lab_t - lab_p - offset).astype(np.float32)
