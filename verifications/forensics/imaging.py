from __future__ import annotations

import cv2
import numpy as np

# cv2 threads fight with rawpy/scipy for the two cores; one thread each is faster overall.
cv2.setNumThreads(2)

LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


def srgb_encode(lin: np.ndarray) -> np.ndarray:
    x = np.clip(lin, 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055).astype(
        np.float32
    )


def srgb_decode(enc: np.ndarray) -> np.ndarray:
    x = np.clip(enc, 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, np.power((x + 0.055) / 1.055, 2.4)).astype(np.float32)


def luma(rgb: np.ndarray) -> np.ndarray:
    return (rgb @ LUMA).astype(np.float32)


def resize_long(img: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """Downscale (never up) so the long side is at most `long_side`; returns image and factor."""
    h, w = img.shape[:2]
    f = min(1.0, long_side / max(h, w))
    if f >= 1.0:
        return img, 1.0
    size = (max(1, round(w * f)), max(1, round(h * f)))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA), f


def grad_mag(gray: np.ndarray) -> np.ndarray:
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    return cv2.magnitude(gx, gy)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def ssim_map(a: np.ndarray, b: np.ndarray, sigma: float = 1.5) -> np.ndarray:
    """Gaussian-window SSIM on float32 [0,1] grey images (same result as skimage, far faster)."""
    c1, c2 = 0.01**2, 0.03**2
    ma, mb = blur(a, sigma), blur(b, sigma)
    saa = blur(a * a, sigma) - ma * ma
    sbb = blur(b * b, sigma) - mb * mb
    sab = blur(a * b, sigma) - ma * mb
    num = (2 * ma * mb + c1) * (2 * sab + c2)
    den = (ma * ma + mb * mb + c1) * (saa + sbb + c2)
    return (num / den).astype(np.float32)


def to_lab(rgb_enc: np.ndarray) -> np.ndarray:
    """sRGB-encoded float [0,1] -> CIELAB (L 0..100)."""
    return cv2.cvtColor(np.clip(rgb_enc, 0, 1).astype(np.float32), cv2.COLOR_RGB2Lab)


def to_uint8(img: np.ndarray) -> np.ndarray:
    return (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
