from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .imaging import luma, resize_long, srgb_encode

FEATURE_LONG = 1000  # px: enough detail for sub-pixel RANSAC, fast for ORB
MIN_INLIERS = 20
CONFIDENT_INLIERS = 150
MAX_SMALL_ROTATION = 10.0  # degrees beyond the nearest quarter turn an honest crop may straighten
RANSAC_SEED = 1234


@dataclass
class Registration:
    ok: bool
    matrix: np.ndarray  # 2x3, rendition pixels -> analysis-frame pixels
    flip: bool  # the RAW rendition was mirrored (applied before `matrix`)
    inliers: int
    matches: int
    method: str
    reason: str = ""
    expands: bool = False  # the image shows more than the RAW frame: generative expansion
    k1: float = 0.0  # radial term about the image centre (lens-distortion correction)
    src_pts: np.ndarray | None = None  # ratio-test matches, rendition pixels (after mirror)
    dst_pts: np.ndarray | None = None  # the same matches in analysis-frame pixels

    def scale(self) -> float:
        return float(math.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))

    def rotation_deg(self) -> float:
        return float(math.degrees(math.atan2(self.matrix[1, 0], self.matrix[0, 0])))


def feature_grey(rgb_lin_or_enc: np.ndarray, linear: bool, long_side: int) -> np.ndarray:
    """Equalised 8-bit grey: features then see structure, not exposure or tone curve."""
    img, _ = resize_long(rgb_lin_or_enc, long_side)
    if linear:
        img = srgb_encode(img / max(1e-6, float(np.percentile(img, 99.5))))
    g = (np.clip(luma(img), 0, 1) * 255).astype(np.uint8)
    return cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(g)


def _detect(grey: np.ndarray, method: str) -> tuple[list[Any], np.ndarray | None]:
    if method == "orb":
        det = cv2.ORB_create(nfeatures=3000, scaleFactor=1.2, nlevels=10, fastThreshold=5)
    else:
        det = cv2.SIFT_create(nfeatures=3000)
    kp, desc = det.detectAndCompute(grey, None)
    return kp, desc


Match = tuple[np.ndarray | None, int, int, np.ndarray | None, np.ndarray | None]


def _match(
    kp_a: list[Any], da: np.ndarray | None, kp_b: list[Any], db: np.ndarray | None, method: str
) -> Match:
    if da is None or db is None or len(kp_a) < 8 or len(kp_b) < 8:
        return None, 0, 0, None, None
    norm = cv2.NORM_HAMMING if method == "orb" else cv2.NORM_L2
    pairs = cv2.BFMatcher(norm).knnMatch(da, db, k=2)
    good = [m for m, *rest in pairs if rest and m.distance < 0.8 * rest[0].distance]
    if len(good) < 8:
        return None, 0, len(good), None, None
    src = np.float32([kp_a[m.queryIdx].pt for m in good])
    dst = np.float32([kp_b[m.trainIdx].pt for m in good])
    cv2.setRNGSeed(RANSAC_SEED)
    mat, inl = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=4000, confidence=0.999
    )
    if mat is None:
        return None, 0, len(good), None, None
    return mat, int(inl.sum()), len(good), src, dst


def _scaled(mat: np.ndarray, s_src: float, s_dst: float) -> np.ndarray:
    """Re-express a transform between images resampled by s_src (source) and s_dst (target)."""
    out = mat.copy().astype(np.float64)
    out[:, :2] *= s_src / s_dst
    out[:, 2] /= s_dst
    return out


def register(rendition: np.ndarray, target_enc: np.ndarray) -> Registration:
    """Find the similarity transform that lays the RAW rendition onto the image frame.

    `target_enc` is the image at analysis resolution, sRGB-encoded float. The returned
    matrix maps rendition pixels (after the optional mirror) to target pixels.
    """
    g_t = feature_grey(target_enc, False, FEATURE_LONG)
    s_t = g_t.shape[1] / target_enc.shape[1]
    g_r = feature_grey(rendition, True, FEATURE_LONG)
    s_r = g_r.shape[1] / rendition.shape[1]
    best: Registration | None = None
    for method in ("orb", "sift"):
        kp_t, d_t = _detect(g_t, method)
        for flip in (False, True):
            src = g_r[:, ::-1].copy() if flip else g_r
            kp_r, d_r = _detect(src, method)
            mat, inl, n, sp, dp = _match(kp_r, d_r, kp_t, d_t, method)
            if mat is None or sp is None or dp is None:
                continue
            cand = Registration(
                True,
                _scaled(mat, s_r, s_t),
                flip,
                inl,
                n,
                method,
                src_pts=sp / s_r,
                dst_pts=dp / s_t,
            )
            if best is None or cand.inliers > best.inliers:
                best = cand
            if not flip and cand.inliers >= CONFIDENT_INLIERS and cand.inliers > 0.3 * n:
                break  # an unmirrored match this strong leaves nothing for the mirror to win
        if best is not None and best.inliers >= 3 * MIN_INLIERS:
            break
    if best is None or best.inliers < MIN_INLIERS:
        n = 0 if best is None else best.inliers
        return Registration(
            False,
            np.eye(2, 3),
            False,
            n,
            0 if best is None else best.matches,
            "none",
            "no consistent feature matches between the RAW and the image",
        )
    fit_radial(best, target_enc.shape[:2])
    return _check_plausible(best, rendition.shape[:2], target_enc.shape[:2])


def radial_source(t: np.ndarray, k1: float, hw: tuple[int, int]) -> np.ndarray:
    """Undistorted-frame position of image pixels t (N x 2) under the radial model."""
    h, w = hw
    c = np.array([w / 2, h / 2])
    d = t - c
    rho2 = (d * d).sum(axis=-1, keepdims=True) / ((h * h + w * w) / 4)
    return c + d * (1 + k1 * rho2)


def fit_radial(reg: Registration, hw: tuple[int, int]) -> None:
    """Lens-distortion correction moves image corners by up to ~8 %: fit one radial term.

    Model: similarity(src) = c + (t - c)(1 + k1 rho^2), alternating k1 and the similarity
    with a shrinking inlier radius. Kept only if it explains clearly more matches.
    """
    if reg.src_pts is None or reg.dst_pts is None or len(reg.src_pts) < 3 * MIN_INLIERS:
        return
    src, t = reg.src_pts.astype(np.float64), reg.dst_pts.astype(np.float64)
    h, w = hw
    c = np.array([w / 2, h / 2])
    v = (t - c) * (((t - c) ** 2).sum(1, keepdims=True) / ((h * h + w * w) / 4))

    def count(mat: np.ndarray, k: float, thr: float) -> np.ndarray:
        pred = src @ mat[:, :2].T + mat[:, 2]
        return np.linalg.norm(pred - radial_source(t, k, hw), axis=1) < thr

    base_inliers = int(count(reg.matrix, 0.0, 3.0).sum())
    mat, k = reg.matrix.copy(), 0.0
    n = len(src)
    # Similarity (a, b, tx, ty) and k1 jointly: the equations are linear in all five.
    a_mat = np.zeros((2 * n, 5))
    a_mat[0::2] = np.stack([src[:, 0], -src[:, 1], np.ones(n), np.zeros(n), -v[:, 0]], 1)
    a_mat[1::2] = np.stack([src[:, 1], src[:, 0], np.zeros(n), np.ones(n), -v[:, 1]], 1)
    rhs = t.reshape(-1)
    for thr in (40.0, 15.0, 6.0, 3.0, 3.0):
        inl = count(mat, k, thr)
        if inl.sum() < MIN_INLIERS:
            return
        rows = np.repeat(inl, 2)
        sol, *_ = np.linalg.lstsq(a_mat[rows], rhs[rows], rcond=None)
        a, b, tx, ty, k = (float(x) for x in sol)
        k = float(np.clip(k, -0.15, 0.15))
        mat = np.array([[a, -b, tx], [b, a, ty]])
    inliers = int(count(mat, k, 3.0).sum())

    def median_err(m: np.ndarray, kk: float) -> float:
        e = np.linalg.norm(src @ m[:, :2].T + m[:, 2] - radial_source(t, kk, hw), axis=1)
        return float(np.median(e[e < 6.0])) if (e < 6.0).any() else 99.0

    # Feature positions are only good to ~0.8 px, so a real but mild correction improves
    # the median error little: accept a clear k1 on inlier count alone.
    better = median_err(mat, k) < 0.8 * median_err(reg.matrix, 0.0) or abs(k) > 0.01
    if abs(k) > 0.004 and inliers >= base_inliers and better:
        reg.matrix, reg.k1, reg.inliers = mat, k, inliers


def _check_plausible(
    reg: Registration, src_hw: tuple[int, ...], dst_hw: tuple[int, ...]
) -> Registration:
    if not np.isfinite(reg.matrix).all() or not 0.02 < reg.scale() < 50:
        reg.ok, reg.reason = False, "the feature matches give no consistent geometry"
        return reg
    rot = reg.rotation_deg()
    off = abs(((rot + 45) % 90) - 45)
    if off > MAX_SMALL_ROTATION + 0.5:
        reg.ok, reg.reason = (
            False,
            f"the image is turned {off:.1f}° off square, more than straightening",
        )
        return reg
    # The image must lie (almost) inside the RAW frame: expansion beyond it is not a crop.
    inv = cv2.invertAffineTransform(reg.matrix)
    h, w = dst_hw
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], np.float64)
    back = corners @ inv.T
    sh, sw = src_hw
    tol = 0.03 * max(sw, sh)
    outside = (
        (back[:, 0] < -tol)
        | (back[:, 0] > sw + tol)
        | (back[:, 1] < -tol)
        | (back[:, 1] > sh + tol)
    )
    if outside.any():
        reg.ok, reg.reason = False, "the image shows more than the RAW frame holds"
        reg.expands = True
    return reg


def outside_frame(
    reg: Registration, src_hw: tuple[int, ...], dst_hw: tuple[int, ...]
) -> np.ndarray:
    """Pixels of the analysis frame that the RAW's frame does not reach."""
    ones = np.ones(src_hw[:2], np.uint8)
    inside = cv2.warpAffine(ones, reg.matrix, (dst_hw[1], dst_hw[0]), flags=cv2.INTER_NEAREST)
    return inside == 0


def refine_ecc(reg: Registration, src_grey: np.ndarray, dst_grey: np.ndarray) -> Registration:
    """Polish the RANSAC estimate to sub-pixel with ECC on gradient images (tone-invariant)."""
    try:
        warp = reg.matrix.astype(np.float32)
        crit = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 40, 1e-5)
        _, new = cv2.findTransformECC(src_grey, dst_grey, warp, cv2.MOTION_AFFINE, crit, None, 3)
    except cv2.error:
        return reg
    # Reject a refinement that wanders: ECC can slide into a wrong local optimum.
    corners = np.array([[0, 0, 1], [src_grey.shape[1], src_grey.shape[0], 1]], np.float64)
    moved = np.abs(corners @ new.T.astype(np.float64) - corners @ reg.matrix.T).max()
    if moved < 4.0:
        reg.matrix = new.astype(np.float64)
    return reg


def describe(
    reg: Registration,
    raw_scale: float,
    raw_hw: tuple[int, int],
    target_hw: tuple[int, int],
    analysis_scale: float,
    orientation: int,
) -> dict[str, Any]:
    """How the image maps onto the RAW, in the photographer's terms."""
    if not reg.ok:
        return {
            "registered": False,
            "orientation": orientation,
            "reason": reg.reason,
            "summary": "could not be matched to the RAW",
        }
    inv = cv2.invertAffineTransform(reg.matrix)
    h, w = target_hw
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], np.float64) @ inv.T
    rend_w = raw_hw[1] / raw_scale
    if reg.flip:
        corners[:, 0] = rend_w - corners[:, 0]
    box = corners * raw_scale
    rh, rw = raw_hw
    x0, y0 = max(0.0, box[:, 0].min()), max(0.0, box[:, 1].min())
    x1, y1 = min(float(rw), box[:, 0].max()), min(float(rh), box[:, 1].max())
    rot = reg.rotation_deg()
    quarter = int(round(rot / 90.0)) % 4 * 90
    small = ((rot + 45) % 90) - 45
    scale = reg.scale() / analysis_scale / raw_scale
    kept = (w * h) / (reg.scale() ** 2) / (rend_w * raw_hw[0] / raw_scale)
    parts = []
    if kept < 0.98:
        parts.append(f"crop to {100 * kept:.0f} % of the frame")
    if quarter:
        parts.append(f"turned {quarter}°")
    if abs(small) >= 0.1:
        parts.append(f"straightened {small:+.1f}°")
    if reg.flip:
        parts.append("mirrored")
    if abs(reg.k1) > 0.004:
        parts.append("lens correction")
    if scale < 0.98:
        parts.append(f"resized to {100 * scale:.0f} %")
    return {
        "registered": True,
        "orientation": orientation,
        "crop_box": [round(x0), round(y0), round(x1), round(y1)],
        "area_kept": kept,
        "scale": scale,
        "rotation_degrees": rot,
        "quarter_turns": quarter // 90,
        "flip": reg.flip,
        "lens_correction_k1": reg.k1,
        "method": reg.method,
        "inliers": reg.inliers,
        "matches": reg.matches,
        "summary": ", ".join(parts) or "full frame, no geometric change",
    }
