"""Forgeries with a true mask in the JPEG's pixels, plus whole-pair forgeries.

Local manipulations edit a rendition's pixels and return the mask of what changed.
Pair forgeries (other RAW, burst frame, fake RAW, recapture) replace the RAW or the
JPEG and have no mask: the whole pair is the lie.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from bench.edits import Rendition
from bench.imaging import blob_mask, feather, linear_to_srgb, resize, srgb_to_linear, to_uint8
from bench.seeds import Seed

Donor = Callable[[np.random.Generator], np.ndarray]  # another scene's display image
Local = Callable[[Rendition, Donor, np.random.Generator], tuple[Rendition, np.ndarray]]


def _area(rng: np.random.Generator, lo: float = 0.01, hi: float = 0.08) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1


def _paste(r: Rendition, mask: np.ndarray, content: np.ndarray, **params: Any) -> Rendition:
    alpha = feather(mask, 0.8)
    return r.with_(r.img * (1 - alpha) + content * alpha, **params)


def _splice(
    r: Rendition, donor: Donor, rng: np.random.Generator, lo: float = 0.01, hi: float = 0.08
) -> tuple[Rendition, np.ndarray]:
    """Paste a piece of another photo, resized to fit, with a feathered edge."""
    h, w = r.img.shape[:2]
    mask = blob_mask((h, w), _area(rng, lo, hi), rng)
    y0, y1, x0, x1 = _bbox(mask)
    other = donor(rng)
    oh, ow = other.shape[:2]
    scale = max((y1 - y0) / oh, (x1 - x0) / ow, float(rng.uniform(0.3, 1.0)))
    if scale > 0.95 or rng.random() < 0.5:
        other = resize(other, max(x1 - x0, int(ow * scale)), max(y1 - y0, int(oh * scale)))
    oy = int(rng.integers(0, other.shape[0] - (y1 - y0) + 1))
    ox = int(rng.integers(0, other.shape[1] - (x1 - x0) + 1))
    content = r.img.copy()
    content[y0:y1, x0:x1] = other[oy : oy + y1 - y0, ox : ox + x1 - x0]
    return _paste(r, mask, content, manip="splice"), mask


def _small_splice(r: Rendition, donor: Donor, rng: np.random.Generator):
    return _splice(r, donor, rng, lo=0.002, hi=0.006)


def _copy_move(r: Rendition, donor: Donor, rng: np.random.Generator):
    h, w = r.img.shape[:2]
    for _ in range(50):  # find a destination that does not overlap the source
        src = blob_mask((h, w), _area(rng), rng)
        y0, y1, x0, x1 = _bbox(src)
        dy = int(rng.integers(-y0, h - y1 + 1))
        dx = int(rng.integers(-x0, w - x1 + 1))
        dst = np.roll(np.roll(src, dy, 0), dx, 1)
        if not (dst & src).any():
            break
    moved = np.roll(np.roll(r.img, dy, 0), dx, 1)
    return _paste(r, dst, moved, manip="copy_move", shift=[dx, dy]), dst


def _push_pull_fill(img: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """Smooth fill of `hole` from its surroundings (a fast diffusion / pyramid inpaint)."""
    known = (~hole).astype(np.float32)
    levels = [(img * known[..., None], known)]
    while min(levels[-1][1].shape) > 4:
        v, k = levels[-1]
        hh, ww = (k.shape[0] // 2) * 2, (k.shape[1] // 2) * 2
        v2 = v[:hh, :ww].reshape(hh // 2, 2, ww // 2, 2, 3).sum((1, 3))
        k2 = k[:hh, :ww].reshape(hh // 2, 2, ww // 2, 2).sum((1, 3))
        levels.append((v2, k2))
    filled = levels[-1][0] / np.maximum(levels[-1][1], 1e-6)[..., None]
    for v, k in reversed(levels[:-1]):
        up = np.repeat(np.repeat(filled, 2, 0), 2, 1)
        up = np.pad(
            up, ((0, k.shape[0] - up.shape[0]), (0, k.shape[1] - up.shape[1]), (0, 0)), mode="edge"
        )
        up = ndimage.uniform_filter(up, (3, 3, 1))
        own = v / np.maximum(k, 1e-6)[..., None]
        wgt = np.clip(k, 0, 1)[..., None]
        filled = own * wgt + up * (1 - wgt)
    return filled


def _removal(r: Rendition, donor: Donor, rng: np.random.Generator):
    """Content removal: fill an object-shaped hole from its surroundings, then add back
    texture copied from a nearby patch (what content-aware fill roughly does)."""
    h, w = r.img.shape[:2]
    mask = blob_mask((h, w), _area(rng, 0.005, 0.05), rng)
    hole = ndimage.binary_dilation(mask, iterations=2)
    y0, y1, x0, x1 = _bbox(hole)
    my, mx = max(8, (y1 - y0)), max(8, (x1 - x0))
    a0, a1, b0, b1 = max(0, y0 - my), min(h, y1 + my), max(0, x0 - mx), min(w, x1 + mx)
    crop = r.img[a0:a1, b0:b1]
    fill = _push_pull_fill(crop, hole[a0:a1, b0:b1])
    texture = crop - ndimage.gaussian_filter(crop, (2, 2, 0))
    shift = (int(rng.choice([-1, 1]) * (y1 - y0)), 0)
    fill = fill + np.roll(texture, shift, (0, 1)) * float(rng.uniform(0.0, 1.0))
    out = r.img.copy()
    alpha = feather(hole[a0:a1, b0:b1], 1.0)
    out[a0:a1, b0:b1] = crop * (1 - alpha) + fill * alpha
    return r.with_(out, manip="removal"), mask


def _local_gain(r: Rendition, rng: np.random.Generator, lo: float, hi: float):
    """A blob mask, its feathered alpha and the window holding both (all work stays in
    the window: colour conversions of a whole 9 MP frame per try would dominate)."""
    h, w = r.img.shape[:2]
    mask = blob_mask((h, w), _area(rng, lo, hi), rng)
    y0, y1, x0, x1 = _bbox(mask)
    sigma = max(1.0, 0.03 * min(y1 - y0, x1 - x0))
    m = int(4 * sigma) + 2
    win = (slice(max(0, y0 - m), min(h, y1 + m)), slice(max(0, x0 - m), min(w, x1 + m)))
    alpha = feather(mask[win], sigma)
    return mask, alpha, win


def _recolour(r: Rendition, donor: Donor, rng: np.random.Generator):
    from skimage.color import hsv2rgb, rgb2hsv

    mask, alpha, win = _local_gain(r, rng, 0.01, 0.08)
    hue = float(rng.uniform(0.1, 0.9))
    sat = float(rng.uniform(0.8, 1.6))
    hsv = rgb2hsv(r.img[win])
    hsv[..., 0] = (hsv[..., 0] + hue) % 1.0
    hsv[..., 1] = np.clip(hsv[..., 1] * sat + 0.05, 0, 1)
    shifted = hsv2rgb(hsv).astype(np.float32)
    out = r.img.copy()
    out[win] = r.img[win] * (1 - alpha) + shifted * alpha
    return r.with_(out, manip="recolour", hue_shift=round(hue, 2)), mask


def _relight(r: Rendition, donor: Donor, rng: np.random.Generator):
    mask, alpha, win = _local_gain(r, rng, 0.02, 0.1)
    ev = float(rng.uniform(0.6, 1.5) * rng.choice([-1, 1]))
    out = r.img.copy()
    out[win] = linear_to_srgb(srgb_to_linear(r.img[win]) * (1 + alpha * (2**ev - 1)))
    return r.with_(out, manip="relight", relight_ev=round(ev, 2)), mask


WORDS = ("SOLD", "FAKE NEWS", "2024", "EXCLUSIVE", "Lumethic", "WINNER", "No entry", "ACME")


def text(r: Rendition, donor: Donor, rng: np.random.Generator):
    """Overlay text with Pillow's default font; the true mask is the text's bounding box."""
    h, w = r.img.shape[:2]
    size = int(h * rng.uniform(0.04, 0.12))
    font = ImageFont.load_default(size=size)
    word = str(rng.choice(WORDS))
    im = Image.fromarray(to_uint8(r.img))
    draw = ImageDraw.Draw(im)
    left, t, rr, b = draw.textbbox((0, 0), word, font=font)
    x = int(rng.integers(0, max(1, w - (rr - left))))
    y = int(rng.integers(0, max(1, h - (b - t))))
    colour = tuple(int(c) for c in rng.integers(0, 256, 3))
    draw.text((x - left, y - t), word, font=font, fill=colour)
    out = np.asarray(im, np.float32) / 255
    changed = np.abs(out - to_uint8(r.img) / 255.0).max(-1) > 0.02
    mask = np.zeros((h, w), bool)
    if changed.any():
        y0, y1, x0, x1 = _bbox(changed)
        mask[y0:y1, x0:x1] = True
    return r.with_(out, manip="text", text=word, font_px=size), mask


def expansion(r: Rendition, donor: Donor, rng: np.random.Generator):
    """Generative expansion beyond the RAW's frame: extend one or two sides with
    plausible content (mirrored, progressively blurred, re-grained)."""
    h, w = r.img.shape[:2]
    sides = rng.choice(["left", "right", "top", "bottom"], int(rng.integers(1, 3)), replace=False)
    pad = {s: int(rng.uniform(0.05, 0.2) * (w if s in ("left", "right") else h)) for s in sides}
    top, bottom, left, right = (pad.get(k, 0) for k in ("top", "bottom", "left", "right"))
    out = np.pad(r.img, ((top, bottom), (left, right), (0, 0)), mode="symmetric")
    mask = np.ones(out.shape[:2], bool)
    mask[top : top + h, left : left + w] = False
    dist = ndimage.distance_transform_edt(mask)
    blurred = ndimage.gaussian_filter(out, (6, 6, 0))
    wgt = np.clip(dist / 12.0, 0, 1)[..., None]  # sharp at the seam, soft further out
    grain = rng.normal(0, 0.01, out.shape[:2]).astype(np.float32)[..., None]
    out = np.where(mask[..., None], out * (1 - wgt) + blurred * wgt + grain, out)
    return r.with_(out, manip="expansion", pad=pad), mask


MEANINGFUL_CHANGE = 0.06  # mean max-channel change under the mask (~15 grey levels)


def best_of(attempt: Local, tries: int = 6) -> Local:
    """A forger edits something that matters (no sky pasted onto sky): take the first
    random placement that changes the pixels under the mask meaningfully, else the one
    that changes them most. Not always the most extreme, so forgeries stay varied."""

    def run(r: Rendition, donor: Donor, rng: np.random.Generator):
        best, best_score = None, -1.0
        for _ in range(tries):
            out, mask = attempt(r, donor, rng)
            score = float(np.abs(out.img - r.img).max(-1)[mask].mean()) if mask.any() else 0.0
            if score > best_score:
                best, best_score = (out, mask), score
            if score >= MEANINGFUL_CHANGE:
                break
        assert best is not None
        best[0].params["mean_change"] = round(best_score, 3)
        return best

    return run


LOCAL_KINDS: dict[str, Local] = {
    "splice": best_of(_splice),
    "copy_move": best_of(_copy_move),
    "removal": best_of(_removal),
    "recolour": best_of(_recolour),
    "relight": best_of(_relight, tries=3),
    "text": text,
    "small_splice": best_of(_small_splice),
    "expansion": expansion,
}


# --------------------------------------------------------------------------- pair forgeries
def fake_raw(
    jpeg_img: np.ndarray,
    out: Path,
    *,
    seed: Seed,
    noise: bool,
    rng: np.random.Generator,
    identity: dict[str, Any],
) -> Path:
    """A RAW synthesised from a JPEG's linearised pixels, claiming the seed's camera
    and capture facts (`identity`: write_bayer_dng keywords copied from the real RAW)."""
    from tests.factories.dng import write_bayer_dng

    h, w = (jpeg_img.shape[0] // 2) * 2, (jpeg_img.shape[1] // 2) * 2
    lin = srgb_to_linear(jpeg_img[:h, :w]) * np.float32(rng.uniform(0.7, 1.0))
    # a careful faker mimics a camera's container, masked borders included
    mimic = bool(rng.random() < 0.5)
    layout = {"lossless": mimic, "preview": mimic, "optical_black": 32 if mimic else 0}
    return write_bayer_dng(
        out,
        lin,
        **layout,
        seed=int(rng.integers(2**31)),
        noise=noise,
        sensor_seed=int(rng.integers(1000)),
        **identity,
    )
