"""Pixel helpers shared by the bench's edits and manipulations.

Images travel as float32 sRGB-encoded HxWx3 arrays in [0, 1] ("display" images);
linear-light arrays are named `lin`. Every JPEG the bench writes goes through
`save_jpeg`, so EXIF handling is the same for authentic and manipulated cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from scipy import ndimage

from tests.factories.dng import exif_from_raw, linear_to_srgb, srgb_to_linear

__all__ = [
    "develop_linear",
    "display_from_linear",
    "ellipse_mask",
    "blob_mask",
    "load_display",
    "resize",
    "save_jpeg",
    "srgb_to_linear",
    "linear_to_srgb",
    "to_uint8",
]


def to_uint8(img: np.ndarray) -> np.ndarray:
    return (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def load_display(path: str | Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), np.float32) / 255.0


def develop_linear(raw_path: str | Path, **kw: Any) -> np.ndarray:
    """Camera-WB linear render (float32, 1.0 = clipping) of any RAW LibRaw reads."""
    import rawpy

    with rawpy.imread(str(raw_path)) as r:
        out = r.postprocess(
            use_camera_wb=True, gamma=(1, 1), no_auto_bright=True, output_bps=16, **kw
        )
    return out.astype(np.float32) / 65535.0


def auto_gain(lin: np.ndarray) -> float:
    """LibRaw-like auto-brightening: the brightest 1 % of pixels reach white."""
    white = float(np.percentile(lin.max(axis=-1)[::4, ::4], 99.0))
    return 1.0 / max(white, 1e-4)


def display_from_linear(lin: np.ndarray, gain: float | None = None) -> np.ndarray:
    g = auto_gain(lin) if gain is None else gain
    return linear_to_srgb(lin * np.float32(g))


def resize(img: np.ndarray, width: int, height: int) -> np.ndarray:
    """Lanczos resize of a float image, channel by channel, without 8-bit rounding."""
    chans = []
    for c in range(img.shape[2]):
        ch = Image.fromarray(np.ascontiguousarray(img[..., c], np.float32), "F")
        chans.append(np.asarray(ch.resize((width, height), Image.Resampling.LANCZOS)))
    return np.stack(chans, -1)


def save_jpeg(
    img: np.ndarray,
    path: Path,
    *,
    raw_path: Path | None,
    quality: int = 92,
    orientation: int = 1,
    software: str = "Lumethic bench",
    subsampling: int = 2,
) -> Path:
    """Write a JPEG carrying the RAW's EXIF (as a photographer's export would)."""
    kw: dict[str, Any] = {"quality": int(quality), "subsampling": subsampling}
    if raw_path is not None:
        try:
            exif = exif_from_raw(raw_path, software=software)
        except Exception:  # non-TIFF RAWs (Kodak .raw) carry no EXIF we can read
            exif = Image.Exif()
        exif[274] = orientation
        kw["exif"] = exif
    Image.fromarray(to_uint8(img)).save(path, "JPEG", **kw)
    return path


def ellipse_mask(shape: tuple[int, int], area_share: float, rng: np.random.Generator) -> np.ndarray:
    """A random ellipse covering ~`area_share` of the frame, fully inside it."""
    h, w = shape
    aspect = rng.uniform(0.5, 2.0)
    area = area_share * h * w
    ry = min(np.sqrt(area / (np.pi * aspect)), h / 2 - 2)
    rx = min(area / (np.pi * ry), w / 2 - 2)
    cy = rng.uniform(ry + 1, h - ry - 1)
    cx = rng.uniform(rx + 1, w - rx - 1)
    yy, xx = np.ogrid[:h, :w]
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def rect_mask(shape: tuple[int, int], area_share: float, rng: np.random.Generator) -> np.ndarray:
    h, w = shape
    aspect = rng.uniform(0.6, 1.7)
    bh = int(np.clip(np.sqrt(area_share * h * w / aspect), 4, h - 2))
    bw = int(np.clip(area_share * h * w / bh, 4, w - 2))
    y0, x0 = int(rng.integers(1, h - bh)), int(rng.integers(1, w - bw))
    m = np.zeros((h, w), bool)
    m[y0 : y0 + bh, x0 : x0 + bw] = True
    return m


def blob_mask(shape: tuple[int, int], area_share: float, rng: np.random.Generator) -> np.ndarray:
    """An irregular object-like blob: a smoothed random field thresholded inside an ellipse."""
    base = ellipse_mask(shape, area_share * 1.4, rng)
    ys, xs = np.nonzero(base)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    field = ndimage.gaussian_filter(rng.standard_normal((y1 - y0, x1 - x0)), 0.12 * (y1 - y0))
    dist = ndimage.distance_transform_edt(base[y0:y1, x0:x1])
    score = dist / max(dist.max(), 1) + 0.6 * field / max(np.abs(field).max(), 1e-6)
    keep = np.quantile(score[base[y0:y1, x0:x1]], 1 - 1 / 1.4)
    m = np.zeros(shape, bool)
    m[y0:y1, x0:x1] = (score >= keep) & base[y0:y1, x0:x1]
    lab, n = ndimage.label(m)
    if n > 1:  # keep the largest piece so the mask is one region
        sizes = ndimage.sum(m, lab, range(1, n + 1))
        m = lab == (1 + int(np.argmax(sizes)))
    return ndimage.binary_fill_holes(m)


def feather(mask: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    """Soft alpha from a hard mask, as an editor's feathered selection."""
    return np.clip(ndimage.gaussian_filter(mask.astype(np.float32), sigma), 0.0, 1.0)[..., None]
