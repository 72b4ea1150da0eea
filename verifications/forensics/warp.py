from __future__ import annotations

import cv2
import numpy as np

from .imaging import luma, srgb_encode
from .registration import Registration, radial_source

# ECC may only polish: a refinement that moves a corner further than this is rejected.
ECC_MAX_SHIFT = 4.0


def grey_for_ecc(img: np.ndarray, linear: bool) -> np.ndarray:
    """Blurred gradient magnitude: the same edges whatever exposure and curves were applied."""
    if linear:
        img = srgb_encode(img / max(1e-6, float(np.percentile(img, 99.5))))
    g = cv2.GaussianBlur(luma(img), (0, 0), 1.0)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy)
    return cv2.GaussianBlur(mag / max(1e-6, float(mag.mean())), (0, 0), 1.0)


def _refine_ecc(inv: np.ndarray, target_grey: np.ndarray, src_grey: np.ndarray) -> np.ndarray:
    """Polish target->source affine to sub-pixel with ECC on gradient images."""
    try:
        crit = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 40, 1e-5)
        _, new = cv2.findTransformECC(
            target_grey, src_grey, inv.astype(np.float32), cv2.MOTION_AFFINE, crit, None, 3
        )
    except cv2.error:
        return inv
    h, w = target_grey.shape
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], np.float64)
    moved = np.abs(corners @ new.T.astype(np.float64) - corners @ inv.T).max()
    return new.astype(np.float64) if moved < ECC_MAX_SHIFT else inv


def warp_to_target(
    rendition: np.ndarray,
    extra: np.ndarray | None,
    reg: Registration,
    target_hw: tuple[int, int],
    target_grey: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, Registration]:
    """Resample the RAW rendition (and an extra per-pixel map) into the image frame."""
    src = rendition[:, ::-1] if reg.flip else rendition
    ext = None if extra is None else (extra[:, ::-1] if reg.flip else extra)
    mat = reg.matrix.copy()
    f = 1.0
    if reg.scale() < 0.7:
        # Downsample first so the warp does not alias (warpAffine has no area filter).
        f = reg.scale() * 1.25
        size = (max(1, round(src.shape[1] * f)), max(1, round(src.shape[0] * f)))
        src = cv2.resize(np.ascontiguousarray(src), size, interpolation=cv2.INTER_AREA)
        if ext is not None:
            ext = cv2.resize(np.ascontiguousarray(ext), size, interpolation=cv2.INTER_AREA)
        mat[:, :2] /= f
    src = np.ascontiguousarray(src)
    h, w = target_hw
    inv = cv2.invertAffineTransform(mat)
    if reg.k1 == 0.0:
        inv = _refine_ecc(inv, target_grey, grey_for_ecc(src, linear=True))
        mapx = mapy = None
    else:
        ty, tx = np.mgrid[0:h, 0:w].astype(np.float64)
        u = radial_source(np.stack([tx, ty], -1), reg.k1, (h, w))
        s = u @ inv[:, :2].T + inv[:, 2]
        mapx, mapy = s[..., 0].astype(np.float32), s[..., 1].astype(np.float32)

    def warp(img: np.ndarray, interp: int, border: int) -> np.ndarray:
        if mapx is None:
            return cv2.warpAffine(
                img, inv, (w, h), flags=interp | cv2.WARP_INVERSE_MAP, borderMode=border
            )
        return cv2.remap(img, mapx, mapy, interp, borderMode=border)

    warped = warp(src, cv2.INTER_LINEAR, cv2.BORDER_REFLECT)
    ext_w = (
        None
        if ext is None
        else warp(np.ascontiguousarray(ext), cv2.INTER_LINEAR, cv2.BORDER_REFLECT)
    )
    ones = np.ones(src.shape[:2], np.float32)
    valid = warp(ones, cv2.INTER_LINEAR, cv2.BORDER_CONSTANT) > 0.999
    valid = cv2.erode(valid.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    full = cv2.invertAffineTransform(inv)
    full[:, :2] *= f
    out = Registration(
        reg.ok, full, reg.flip, reg.inliers, reg.matches, reg.method, reg.reason, reg.k1
    )
    return warped, ext_w, valid, out
