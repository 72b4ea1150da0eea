from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .imaging import resize_long, to_uint8
from .report import Region

THUMB_LONG = 512


def write_thumbnail(rgb: np.ndarray, out_dir: Path) -> str:
    small, _ = resize_long(rgb, THUMB_LONG)
    path = out_dir / "thumbnail.jpg"
    Image.fromarray(small).save(path, "JPEG", quality=85)
    return str(path)


def write_registered(pred_rgb: np.ndarray, valid: np.ndarray, out_dir: Path) -> str:
    img = to_uint8(pred_rgb)
    img[~valid] = 0
    path = out_dir / "registered.jpg"
    Image.fromarray(img).save(path, "JPEG", quality=90)
    return str(path)


def write_heatmap(
    image_rgb: np.ndarray, score: np.ndarray, regions: list[Region], scale: float, out_dir: Path
) -> str:
    """Grey photo with the tamper score in colour on top and each reported region boxed."""
    h, w = score.shape
    base = cv2.resize(image_rgb, (w, h), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(cv2.cvtColor(base, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    heat = cv2.applyColorMap(to_uint8(np.clip(score / 3.0, 0, 1)), cv2.COLORMAP_JET)
    heat = cv2.cvtColor(heat, cv2.COLOR_BGR2RGB)
    alpha = np.clip(score / 3.0, 0.15, 0.75)[..., None]
    out = (grey * (1 - alpha) + heat * alpha).astype(np.uint8)
    for r in regions:
        x0, y0, x1, y1 = (int(round(v * scale)) for v in r.box)
        colour = {"added": (255, 0, 0), "removed": (0, 160, 255), "altered": (255, 200, 0)}
        cv2.rectangle(out, (x0, y0), (x1 - 1, y1 - 1), colour.get(r.kind, (255, 0, 0)), 2)
    path = out_dir / "heatmap.png"
    Image.fromarray(out).save(path, "PNG")
    return str(path)
