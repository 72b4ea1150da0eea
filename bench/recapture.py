"""Recaptures: the scene a camera sees when it photographs a screen or a print.

Both put a periodic structure into the RAW (a subpixel grid, a halftone rosette) that
a real scene rarely has. The geometry (pitch, angle, keystone, lens blur) is drawn per
case so the beat with the sensor's pixel grid (moire) differs from case to case.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from bench.imaging import resize, srgb_to_linear


def _sensor_grid(h: int, w: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """Sensor pixel coordinates rotated by a small angle and slightly keystoned."""
    angle = np.deg2rad(float(rng.uniform(-4, 4)))
    yy, xx = np.mgrid[:h, :w].astype(np.float32)
    yy -= h / 2
    xx -= w / 2
    keystone = 1 + float(rng.uniform(-3e-5, 3e-5)) * yy
    u = (np.cos(angle) * xx - np.sin(angle) * yy) * keystone
    v = np.sin(angle) * xx + np.cos(angle) * yy
    return u, v, float(np.rad2deg(angle))


def _normalise(scene: np.ndarray) -> np.ndarray:
    return np.clip(scene / max(float(np.percentile(scene, 99.5)), 1e-3) * 0.9, 0, 1)


def screen_scene(
    img: np.ndarray, size: tuple[int, int], rng: np.random.Generator
) -> tuple[np.ndarray, dict[str, float]]:
    """Linear scene a camera sees when photographing `img` on an RGB-stripe screen.

    Each image pixel becomes 3x3 subpixels (R|G|B stripes, a dark row for the black
    matrix); the camera looks at a slight angle with a sharp lens, so the pixel grid
    (period `pitch` sensor pixels) survives the optics and beats with the sensor grid.
    """
    w, h = size
    src = img
    if max(src.shape[:2]) > 1200:  # a screen shows a downscaled image anyway
        f = 1200 / max(src.shape[:2])
        src = resize(src, int(src.shape[1] * f), int(src.shape[0] * f))
    emit = srgb_to_linear(np.clip(src, 0, 1))
    sub = np.repeat(np.repeat(emit, 3, 0), 3, 1)
    stripes = np.zeros((3, 3, 3), np.float32)
    for c in range(3):
        stripes[:, c, c] = 1.0
    stripes[2] *= 0.25  # black matrix between pixel rows
    sh, sw = sub.shape[:2]
    sub *= np.tile(stripes, (sh // 3, sw // 3, 1))
    pitch = float(rng.uniform(0.8, 1.8))  # sensor pixels per screen pixel
    blur = float(rng.uniform(0.25, 0.45))  # lens PSF sigma in sensor pixels
    sub = ndimage.gaussian_filter(sub, (blur * 3 / pitch, blur * 3 / pitch, 0))
    gu, gv, angle_deg = _sensor_grid(h, w, rng)
    u = gu * 3 / pitch + sw / 2
    v = gv * 3 / pitch + sh / 2
    scene = np.stack(
        [ndimage.map_coordinates(sub[..., c], [v, u], order=1, cval=0.0) for c in range(3)], -1
    )
    scene = scene * 3.0 + 0.01  # stripes keep a third of the light; ambient reflections
    scene = _normalise(scene)
    params = {
        "pitch_px": round(pitch, 3),
        "angle_deg": round(angle_deg, 2),
        "psf_sigma_px": round(blur, 3),
    }
    return scene, params


# Ink reflectances (linear RGB) of process colours on white paper.
INKS = {
    "c": ((0.12, 0.75, 0.95), 15.0),
    "m": ((0.90, 0.15, 0.65), 75.0),
    "y": ((0.98, 0.92, 0.12), 0.0),
    "k": ((0.06, 0.06, 0.07), 45.0),
}


def print_scene(
    img: np.ndarray, size: tuple[int, int], rng: np.random.Generator
) -> tuple[np.ndarray, dict[str, float]]:
    """Linear scene of `img` printed as a CMYK halftone and photographed.

    Each ink is an amplitude-modulated dot screen at its classic angle; the camera
    sees the rosette at `cell` sensor pixels per halftone cell, blurred by the lens.
    Rendered at 2x and averaged down, i.e. integrated over each pixel's area.
    """
    w, h = size
    ss = 2
    src = (
        img
        if max(img.shape[:2]) <= 1200
        else resize(
            img, *(int(d * 1200 / max(img.shape[:2])) for d in (img.shape[1], img.shape[0]))
        )
    )
    cmy = 1.0 - np.clip(src, 0, 1)
    k = cmy.min(-1)
    cmyk = np.concatenate(
        [(cmy - k[..., None]) / np.maximum(1 - k[..., None], 1e-3), k[..., None]], -1
    )
    cell = float(rng.uniform(2.2, 5.0))  # sensor pixels per halftone cell
    zoom = float(rng.uniform(0.8, 1.3))  # print pixels per sensor pixel
    blur = float(rng.uniform(0.3, 0.6))
    gu, gv, angle_deg = _sensor_grid(h * ss, w * ss, rng)
    gu, gv = gu / ss, gv / ss
    pu = gu * zoom + src.shape[1] / 2
    pv = gv * zoom + src.shape[0] / 2
    inside = (pu >= 0) & (pu < src.shape[1] - 1) & (pv >= 0) & (pv < src.shape[0] - 1)
    refl = np.ones(gu.shape + (3,), np.float32) * 0.9
    for i, (rgb, ang) in enumerate(INKS.values()):
        cover = ndimage.map_coordinates(cmyk[..., i], [pv, pu], order=1, mode="nearest")
        t = np.deg2rad(ang)
        a = (np.cos(t) * gu + np.sin(t) * gv) / cell
        b = (-np.sin(t) * gu + np.cos(t) * gv) / cell
        # distance to the cell centre: a dot of area `cover` covers points within radius
        dist = np.hypot(a - np.round(a), b - np.round(b))
        dot = (dist < np.sqrt(np.clip(cover, 0, 1) / np.pi)).astype(np.float32)
        refl *= 1 - dot[..., None] * (1 - np.asarray(rgb, np.float32))
    refl[~inside] = 0.05  # the table around the print
    refl = ndimage.gaussian_filter(refl, (blur * ss, blur * ss, 0))
    scene = refl.reshape(h, ss, w, ss, 3).mean((1, 3))
    params = {
        "cell_px": round(cell, 3),
        "zoom": round(zoom, 3),
        "angle_deg": round(angle_deg, 2),
        "psf_sigma_px": round(blur, 3),
    }
    return _normalise(scene + 0.005), params
