"""Authentic edits: the global operations an honest photographer applies daily.

Each edit takes the rendition so far and returns a new one. "Base" edits start from
the seed's linear render (exposure, white balance, another converter); the others
work on display pixels. Every parameter is drawn from the case's own generator, so
a case id always rebuilds the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import ndimage
from scipy.interpolate import PchipInterpolator

from bench.imaging import auto_gain, display_from_linear, linear_to_srgb, srgb_to_linear
from bench.seeds import Seed

LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


@dataclass
class Rendition:
    img: np.ndarray  # display (sRGB-encoded) float32 HxWx3
    orientation: int = 1  # EXIF orientation written to the JPEG
    quality: int = 92
    params: dict[str, Any] = field(default_factory=dict)
    dust_share: float = 0.0

    def with_(self, img: np.ndarray, **params: Any) -> Rendition:
        return replace(
            self, img=np.clip(img, 0.0, 1.0).astype(np.float32), params={**self.params, **params}
        )


Edit = Callable[[Rendition, Seed, np.random.Generator], Rendition]


def start(seed: Seed, rng: np.random.Generator) -> Rendition:
    """The unedited rendition with a typical export quality."""
    return Rendition(seed.default_display().copy(), quality=int(rng.integers(85, 97)))


# --------------------------------------------------------------------------- base edits
def exposure(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    ev = float(rng.uniform(-3.0, 3.0))
    lin = seed.linear()
    return r.with_(display_from_linear(lin, auto_gain(lin) * 2.0**ev), exposure_ev=round(ev, 2))


def white_balance(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    temp, tint = float(rng.uniform(-0.6, 0.6)), float(rng.uniform(-0.25, 0.25))
    gains = np.array([2**temp, 2**tint, 2**-temp], np.float32)
    lin = seed.linear() * gains
    return r.with_(display_from_linear(lin), wb_temp=round(temp, 2), wb_tint=round(tint, 2))


def converter(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """Another RAW converter: LibRaw with other settings, or a Lightroom-like look."""
    import rawpy

    if rng.random() < 0.5:
        algo = str(rng.choice(["LINEAR", "VNG", "PPG", "AHD", "DCB", "DHT", "AAHD"]))
        gamma = [(2.222, 4.5), (2.4, 12.92), (1.8, 0.0)][int(rng.integers(3))]
        kw: dict[str, Any] = {"use_camera_wb": True, "gamma": gamma}
        with rawpy.imread(str(seed.raw_path)) as raw:
            try:
                out = raw.postprocess(demosaic_algorithm=rawpy.DemosaicAlgorithm[algo], **kw)
            except Exception:  # some algorithms refuse non-Bayer layouts: keep LibRaw's default
                algo, out = "default", raw.postprocess(**kw)
        return r.with_(
            out.astype(np.float32) / 255, converter="libraw", demosaic=algo, gamma=list(gamma)
        )
    # Lightroom-like: +0.35 EV baseline, a filmic base curve, a little more saturation
    lin = seed.linear()
    x = lin * np.float32(auto_gain(lin) * 2**0.35 * 0.8)
    curved = x * (2.51 * x + 0.03) / (x * (2.43 * x + 0.59) + 0.14)  # ACES-like filmic
    disp = linear_to_srgb(np.clip(curved, 0, 1))
    luma = disp @ LUMA
    disp = luma[..., None] + 1.1 * (disp - luma[..., None])
    return r.with_(disp, converter="lightroom_like")


# --------------------------------------------------------------------------- tone
def _apply_curve(img: np.ndarray, ys: np.ndarray) -> np.ndarray:
    xs = np.linspace(0, 1, len(ys))
    curve = PchipInterpolator(xs, np.maximum.accumulate(ys))  # monotone by construction
    lut = curve(np.linspace(0, 1, 1024)).astype(np.float32)
    idx = np.clip(img * 1023, 0, 1023).astype(np.int32)
    return lut[idx]


def contrast(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    a = float(rng.uniform(-0.6, 0.8))
    x = r.img
    if a >= 0:
        y = (1 - a) * x + a * (3 * x**2 - 2 * x**3)
    else:
        inv = 0.5 - np.sin(np.arcsin(np.clip(1 - 2 * x, -1, 1)) / 3)
        y = (1 + a) * x - a * inv
    return r.with_(y, contrast=round(a, 2))


def tone_curve(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    base = np.linspace(0, 1, 6)
    if rng.random() < 0.7:
        ys = np.clip(base + rng.uniform(-0.1, 0.1, 6) * [0, 1, 1, 1, 1, 0], 0, 1)
        return r.with_(_apply_curve(r.img, ys), curve="rgb")
    out = np.stack(
        [
            _apply_curve(r.img[..., c], np.clip(base + rng.uniform(-0.07, 0.07, 6), 0, 1))
            for c in range(3)
        ],
        -1,
    )
    return r.with_(out, curve="per_channel")


def highlights_shadows(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """Lightroom-style: gains from a heavily blurred luminance, so only broad areas move."""
    sh, hi = float(rng.uniform(0, 0.8)), float(rng.uniform(-0.6, 0))
    h, w = r.img.shape[:2]
    base = ndimage.gaussian_filter(r.img @ LUMA, 0.03 * np.hypot(h, w))
    gain = (1 + sh * (1 - base) ** 3) * (1 + hi * base**3)
    return r.with_(r.img * gain[..., None], shadows=round(sh, 2), highlights=round(hi, 2))


def saturation(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    s = float(rng.uniform(0.3, 1.7))
    luma = (r.img @ LUMA)[..., None]
    return r.with_(luma + s * (r.img - luma), saturation=round(s, 2))


def vibrance(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    v = float(rng.uniform(-0.6, 0.9))
    luma = (r.img @ LUMA)[..., None]
    sat = (r.img.max(-1) - r.img.min(-1))[..., None]
    return r.with_(luma + (1 + v * (1 - sat)) * (r.img - luma), vibrance=round(v, 2))


def black_white(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    mix = rng.dirichlet([3.0, 5.0, 2.0]).astype(np.float32)
    gray = r.img @ mix
    return r.with_(np.repeat(gray[..., None], 3, -1), bw_mix=[round(float(m), 2) for m in mix])


# --------------------------------------------------------------------------- geometry
def crop(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    h, w = r.img.shape[:2]
    share = float(rng.uniform(0.3, 0.95))
    aspect = float(rng.choice([w / h, 1.0, 4 / 5, 16 / 9, 3 / 2]))
    ch = int(min(h, np.sqrt(share * h * w / aspect)))
    cw = int(min(w, ch * aspect))
    y0, x0 = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    return r.with_(r.img[y0 : y0 + ch, x0 : x0 + cw], crop_box=[x0, y0, x0 + cw, y0 + ch])


def straighten(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    from skimage.transform import rotate

    angle = float(rng.uniform(0.5, 10.0) * rng.choice([-1, 1]))
    h, w = r.img.shape[:2]
    t = np.deg2rad(abs(angle))
    s = min(w / (w * np.cos(t) + h * np.sin(t)), h / (w * np.sin(t) + h * np.cos(t)))
    rot = rotate(r.img, angle, order=3, mode="edge")
    ch, cw = int(h * s) - 2, int(w * s) - 2
    y0, x0 = (h - ch) // 2, (w - cw) // 2
    return r.with_(rot[y0 : y0 + ch, x0 : x0 + cw], straighten_deg=round(angle, 2))


def rotate90(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    k = int(rng.integers(1, 4))
    return r.with_(np.rot90(r.img, k), rot90_ccw=90 * k)


def rotate_exif(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    orientation = int(rng.choice([3, 6, 8]))
    out = r.with_(r.img, exif_orientation=orientation)
    return replace(out, orientation=orientation)


def resize(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    from bench.imaging import resize as lanczos

    h, w = r.img.shape[:2]
    long_side = max(h, w)
    target = int(rng.uniform(min(1024, 0.5 * long_side), 0.9 * long_side))
    f = target / long_side
    nw, nh = max(16, round(w * f)), max(16, round(h * f))
    return r.with_(lanczos(r.img, nw, nh), resize_long=target)


def lens_distortion(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """Radial (k1) correction, scaled so the corrected frame has no empty corners."""
    k1 = float(rng.uniform(-0.08, 0.08))
    h, w = r.img.shape[:2]
    yy, xx = np.mgrid[:h, :w].astype(np.float32)
    cy, cx, half_diag = (h - 1) / 2, (w - 1) / 2, np.hypot(h, w) / 2
    dy, dx = (yy - cy) / half_diag, (xx - cx) / half_diag
    scale = (1 + k1 * (dx**2 + dy**2)) / (1 + max(k1, 0.0))
    coords = [cy + dy * scale * half_diag, cx + dx * scale * half_diag]
    out = np.stack(
        [ndimage.map_coordinates(r.img[..., c], coords, order=1, mode="nearest") for c in range(3)],
        -1,
    )
    return r.with_(out, distortion_k1=round(k1, 3))


# --------------------------------------------------------------------------- detail
def sharpen(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    radius, amount = float(rng.uniform(0.5, 2.5)), float(rng.uniform(0.3, 1.5))
    blur = ndimage.gaussian_filter(r.img, (radius, radius, 0))
    return r.with_(r.img + amount * (r.img - blur), sharpen=[round(radius, 2), round(amount, 2)])


def denoise(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    if rng.random() < 0.5:
        sigma = float(rng.uniform(0.5, 1.0))
        return r.with_(ndimage.gaussian_filter(r.img, (sigma, sigma, 0)), denoise_gauss=sigma)
    from skimage.restoration import denoise_tv_chambolle

    weight = float(rng.uniform(0.01, 0.04))
    out = denoise_tv_chambolle(r.img, weight=weight, channel_axis=-1)
    return r.with_(out.astype(np.float32), denoise_tv=round(weight, 3))


def vignette(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    a = float(rng.uniform(-0.5, 0.5))  # < 0 adds a vignette, > 0 corrects the lens's
    h, w = r.img.shape[:2]
    yy, xx = np.ogrid[:h, :w]
    rr = (((yy - h / 2) / (h / 2)) ** 2 + ((xx - w / 2) / (w / 2)) ** 2) / 2
    lin = srgb_to_linear(r.img) * (1 + a * rr)[..., None]
    return r.with_(linear_to_srgb(lin), vignette=round(a, 2))


def dust_removal(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """Spot healing of 1-4 dust spots, together at most 0.05 % of the frame.

    The budget caps every pixel the healing touches (feathered edge included)."""
    h, w = r.img.shape[:2]
    n = int(rng.integers(1, 5))
    cap = 0.0005 * h * w
    budget = float(rng.uniform(0.2, 0.8)) * cap
    radius = max(1.0, np.sqrt(budget / n / np.pi) / 1.3)  # feather grows the touched area
    img, touched = r.img.copy(), np.zeros((h, w), bool)
    yy, xx = np.ogrid[:h, :w]
    done = 0
    for _ in range(n):
        cy, cx = rng.uniform(4 * radius, h - 4 * radius), rng.uniform(4 * radius, w - 4 * radius)
        dy, dx = rng.choice([-1, 1], 2) * 2.5 * radius
        spot = (yy - cy) ** 2 + (xx - cx) ** 2 <= radius**2
        alpha = ndimage.gaussian_filter(spot.astype(np.float32), radius / 4)
        now = touched | (alpha > 0.01)
        if now.sum() > cap:
            continue
        src = np.roll(np.roll(img, -int(dy), 0), -int(dx), 1)
        img = img * (1 - alpha[..., None]) + src * alpha[..., None]
        touched, done = now, done + 1
    out = r.with_(img, dust_spots=done)
    return replace(out, dust_share=float(touched.mean()))


def jpeg_quality(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    q = int(rng.integers(60, 101))
    return replace(r.with_(r.img, jpeg_q=q), quality=q)


# --------------------------------------------------------------------------- registry
BASE_EDITS: dict[str, Edit] = {
    "exposure": exposure,
    "white_balance": white_balance,
    "converter": converter,
}
TONE_EDITS: dict[str, Edit] = {
    "contrast": contrast,
    "tone_curve": tone_curve,
    "highlights_shadows": highlights_shadows,
    "saturation": saturation,
    "vibrance": vibrance,
    "black_white": black_white,
    "vignette": vignette,
}
GEOMETRY_EDITS: dict[str, Edit] = {
    "crop": crop,
    "straighten": straighten,
    "rotate90": rotate90,
    "rotate_exif": rotate_exif,
    "resize": resize,
    "lens_distortion": lens_distortion,
}
DETAIL_EDITS: dict[str, Edit] = {
    "sharpen": sharpen,
    "denoise": denoise,
    "dust_removal": dust_removal,
    "jpeg_quality": jpeg_quality,
}
ALL_EDITS: dict[str, Edit] = {**BASE_EDITS, **TONE_EDITS, **GEOMETRY_EDITS, **DETAIL_EDITS}


def combo(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """A realistic session: one base edit, 1-3 tone edits, maybe geometry and detail."""
    names = [str(rng.choice(list(BASE_EDITS)))]
    names += list(rng.choice(list(TONE_EDITS), int(rng.integers(1, 4)), replace=False))
    if rng.random() < 0.6:
        names.append(str(rng.choice(["crop", "straighten", "resize", "lens_distortion"])))
    if rng.random() < 0.5:
        names.append(str(rng.choice(["sharpen", "denoise", "jpeg_quality"])))
    for name in names:
        r = ALL_EDITS[name](r, seed, rng)
    return replace(r, params={**r.params, "combo": names})


def mild_global(r: Rendition, seed: Seed, rng: np.random.Generator) -> Rendition:
    """A tone-only pre-edit for manipulated cases: pixel geometry stays the RAW's."""
    name = str(rng.choice(["exposure", "white_balance", "contrast", "tone_curve", "saturation"]))
    return ALL_EDITS[name](r, seed, rng)


AUTHENTIC_KINDS: dict[str, Edit] = {**ALL_EDITS, "combo": combo}
