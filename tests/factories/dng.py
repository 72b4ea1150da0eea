"""Synthetic camera RAW (Bayer RGGB DNG) + developed JPEG pairs for tests and benchmarks.

Pipeline: a scene (skimage.data photo or an image file) in linear light -> a simulated
"SynthCam" sensor (colour cross-talk, per-channel sensitivity, RGGB mosaic, PRNU fixed by
`sensor_seed`, photon shot noise, read noise, ADC noise, black level, 14-bit clipping) ->
uncompressed DNG with consistent colour tags and an EXIF sub-IFD -> a JPEG developed with
rawpy (LibRaw) whose EXIF is copied from the DNG.

The DNG colour tags describe the simulated camera exactly:
  ColorMatrix1 (XYZ -> camera, D65) = diag(s) @ B @ inv(XYZ_from_sRGB)
  AsShotNeutral = s / s_G  (camera response to D65 white)
so rawpy's `use_camera_wb=True` renders greys neutral and sRGB close to the scene.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tests.factories._exif import exif_from_raw, gps_tags
from tests.factories._tiff import (
    EXIF_PLACEHOLDER,
    GPS_PLACEHOLDER,
    Tag,
    append_pointer_ifds,
    rational,
    write_dng_bytes,
)

__all__ = [
    "develop_jpeg",
    "exif_from_raw",
    "linear_to_srgb",
    "make_pair",
    "render_scene",
    "simulate_mosaic",
    "srgb_to_linear",
    "write_bayer_dng",
]

# LibRaw's own sRGB(D65) -> XYZ matrix, so LibRaw inverts our camera model exactly.
XYZ_FROM_SRGB = np.array(
    [
        [0.412453, 0.357580, 0.180423],
        [0.212671, 0.715160, 0.072169],
        [0.019334, 0.119193, 0.950227],
    ]
)
# Colour cross-talk of a plausible CFA; rows sum to 1 so neutrals stay neutral.
CROSSTALK = np.array([[0.80, 0.17, 0.03], [0.10, 0.82, 0.08], [0.03, 0.20, 0.77]])
SENSITIVITY = np.array([0.48, 1.00, 0.66])  # daylight WB multipliers ~ (2.08, 1, 1.52)
CAM_FROM_SRGB = np.diag(SENSITIVITY) @ CROSSTALK
CAM_FROM_XYZ = CAM_FROM_SRGB @ np.linalg.inv(XYZ_FROM_SRGB)  # == DNG ColorMatrix1

RGGB_SITES = ((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 2))  # (dy, dx, colour)
FULL_WELL_E = 40000.0  # electrons at ISO 100
READ_NOISE_E = 3.0
ADC_NOISE_DN = 1.0
PRNU = 0.006
EXPOSURE = 0.85  # scene white (1.0) fills this fraction of the G channel's range
MIN_PHOTO_DOWNSCALE = 2.5  # real photos: erase their JPEG blocks and demosaic traces
SOFTWARE = "Lumethic test factory"

_DNG_KW = {
    "seed",
    "iso",
    "make",
    "model",
    "serial",
    "image_number",
    "datetime",
    "bits",
    "black",
    "sensor_seed",
    "noise",
    "gps",
    "preview",
    "lossless",
    "optical_black",
    "exposure_time",
    "fnumber",
    "focal_length",
    "lens",
}
_JPEG_KW = {"quality", "copy_exif", "half_size"}


# --------------------------------------------------------------------------- scene
def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    c = np.asarray(c, np.float32)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(np.asarray(c, np.float32), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055).astype(np.float32)


def _load_srgb(source: str) -> tuple[np.ndarray, bool]:
    """(sRGB float32 HxWx3 in [0,1], is_file_photo)."""
    if os.path.exists(source):
        return np.asarray(Image.open(source).convert("RGB"), np.float32) / 255.0, True
    import skimage.data

    fn = getattr(skimage.data, source, None)
    if fn is None:
        raise ValueError(f"unknown source {source!r}: an image path or a skimage.data name")
    im = np.asarray(fn())
    if im.ndim == 2:
        im = np.stack([im] * 3, -1)
    im = im[..., :3]
    scale = 255.0 if im.dtype == np.uint8 else float(max(im.max(), 1e-6))
    return im.astype(np.float32) / scale, False


def _crop_window(h: int, w: int, aspect: float, seed: int) -> tuple[int, int, int, int]:
    """Largest window of the target aspect; seed != 0 picks a random 80-100 % sub-window."""
    if w / h > aspect:
        ch, cw = h, int(round(h * aspect))
    else:
        ch, cw = int(round(w / aspect)), w
    if seed == 0:
        return (h - ch) // 2, (w - cw) // 2, ch, cw
    rng = np.random.default_rng([seed, 0x5CE4E])
    f = rng.uniform(0.8, 1.0)
    ch, cw = max(2, int(ch * f)), max(2, int(cw * f))
    return int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1)), ch, cw


def _resize_linear(lin: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resize each channel as float ('F' mode) so linear light is never quantised."""
    out = np.empty((height, width, 3), np.float32)
    for c in range(3):
        ch = Image.fromarray(np.ascontiguousarray(lin[..., c], np.float32), "F")
        out[..., c] = np.asarray(ch.resize((width, height), Image.Resampling.BICUBIC))
    return np.clip(out, 0.0, None)


def render_scene(
    source: str | np.ndarray, size: tuple[int, int], seed: int = 0, *, detail: float = 0.0
) -> np.ndarray:
    """Linear-light RGB scene (float32 HxWx3, [0,1]) of `size` = (width, height).

    `source` is a skimage.data name, an image path, or an array (uint8 = sRGB-encoded,
    float = already linear). Image files are real photos: they are first downscaled at
    least 2.5x so their JPEG blocks and demosaicing traces cannot leak into the RAW.
    `seed` 0 is a centred crop; other seeds take a random 80-100 % window.
    `detail` > 0 multiplies in a 1/f texture of that contrast: upscaled small photos are
    smoother than a real lens renders, and pixel-level texture is what demosaicing,
    sharpening and JPEG treat differently. The texture belongs to the scene (same
    source/size/seed, same texture), so burst frames share it.
    """
    width, height = size
    photo = False
    if isinstance(source, np.ndarray):
        arr = source[..., :3] if source.ndim == 3 else np.stack([source] * 3, -1)
        lin = (
            srgb_to_linear(arr.astype(np.float32) / 255.0)
            if arr.dtype == np.uint8
            else np.clip(arr.astype(np.float32), 0.0, None)
        )
    else:
        srgb, photo = _load_srgb(source)
        lin = srgb_to_linear(srgb)
    y0, x0, ch, cw = _crop_window(lin.shape[0], lin.shape[1], width / height, seed)
    lin = lin[y0 : y0 + ch, x0 : x0 + cw]
    if photo:
        small_w = max(8, int(cw / MIN_PHOTO_DOWNSCALE))
        small_h = max(8, int(ch / MIN_PHOTO_DOWNSCALE))
        if small_w < width:  # the final resize alone would not shrink it 2.5x
            lin = _resize_linear(lin, small_w, small_h)
    scene = _resize_linear(lin, width, height)
    if detail > 0:
        scene *= 1.0 + np.float32(detail) * _pink_texture(height, width, seed)[..., None]
    return np.clip(scene, 0.0, 1.0)


def _pink_texture(h: int, w: int, seed: int) -> np.ndarray:
    """Zero-mean, unit-std 1/f noise at scales of 2-64 px, float32 HxW."""
    rng = np.random.default_rng([seed, 0xDE7A11])
    spec = np.fft.rfft2(rng.standard_normal((h, w), dtype=np.float32))
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    f = np.hypot(fy, fx)
    spec *= (f > 1 / 64) / np.maximum(f, 1 / 64)  # fine scales only: the photo has the rest
    tex = np.fft.irfft2(spec, s=(h, w)).astype(np.float32)
    tex -= tex.mean()
    return tex / max(float(tex.std()), 1e-6)


# --------------------------------------------------------------------------- sensor
def simulate_mosaic(
    scene_linear: np.ndarray,
    *,
    seed: int,
    iso: float,
    bits: int,
    black: int,
    sensor_seed: int,
    noise: bool,
) -> np.ndarray:
    """RGGB mosaic in DN (uint16) from a linear scene, with the physical noise model.

    Shot noise uses the Gaussian limit of Poisson (sigma = sqrt(electrons)): identical
    statistics above a few electrons and ~10x faster at 24 MP, which the speed bench needs.
    """
    h, w = scene_linear.shape[:2]
    if h % 2 or w % 2:
        raise ValueError("scene width and height must be even for a 2x2 CFA")
    white = 2**bits - 1
    full_range = white - black
    gain = full_range / FULL_WELL_E * (iso / 100.0)  # DN per electron
    e_per_unit = EXPOSURE * full_range / gain
    rng = np.random.default_rng([seed, 0xB0155])
    srng = np.random.default_rng([sensor_seed, 0x9F1])  # PRNU = the sensor's fingerprint
    sigma_dn = float(np.hypot(READ_NOISE_E * gain, ADC_NOISE_DN))
    raw = np.empty((h, w), np.uint16)
    for dy, dx, c in RGGB_SITES:
        sub = scene_linear[dy::2, dx::2, :] @ CAM_FROM_SRGB[c].astype(np.float32)
        electrons = sub * np.float32(e_per_unit)
        if noise:
            electrons *= 1.0 + PRNU * srng.standard_normal(sub.shape, dtype=np.float32)
            np.clip(electrons, 0.0, None, out=electrons)
            electrons += np.sqrt(electrons) * rng.standard_normal(sub.shape, dtype=np.float32)
            dn = electrons * np.float32(gain)
            dn += np.float32(sigma_dn) * rng.standard_normal(sub.shape, dtype=np.float32)
        else:
            dn = electrons * np.float32(gain)
        dn += black
        raw[dy::2, dx::2] = np.clip(np.rint(dn), 0, white).astype(np.uint16)
    return raw


def write_bayer_dng(
    path: str | os.PathLike[str],
    scene_linear: np.ndarray,
    *,
    seed: int = 0,
    iso: int = 200,
    make: str = "Lumethic",
    model: str = "SynthCam 1",
    serial: str = "000123",
    image_number: int | None = None,
    datetime: str | None = None,
    bits: int = 14,
    black: int = 512,
    sensor_seed: int = 7,
    noise: bool = True,
    gps: Sequence[float] | None = None,
    preview: bool = False,
    exposure_time: str = "1/250",
    fnumber: float = 5.6,
    focal_length: float = 35,
    lens: str = "SynthLens 35mm",
    lossless: bool = False,
    optical_black: int = 0,
) -> Path:
    """Write `scene_linear` (HxWx3 linear RGB, even H and W) as an RGGB Bayer DNG.

    `seed` drives the temporal noise (a new burst frame = same scene, new seed);
    `sensor_seed` fixes the PRNU (same body = same sensor_seed). `gps` is
    (lat, lon[, alt_m]). `datetime` is EXIF-style "YYYY:MM:DD HH:MM:SS".
    `lossless=True` stores the mosaic as lossless-JPEG tiles like most camera DNGs
    (needs imagecodecs); `preview=True` embeds a camera-style preview in IFD0.
    `optical_black` > 0 adds masked (light-shielded) columns on the left and rows on
    the top, that wide, holding only black level + read noise, as real sensors have;
    ActiveArea/MaskedAreas describe them, so LibRaw's visible image is `scene_linear`.
    """
    path = Path(path)
    dt = datetime or "2024:06:01 12:00:00"
    raw = simulate_mosaic(
        scene_linear,
        seed=seed,
        iso=iso,
        bits=bits,
        black=black,
        sensor_seed=sensor_seed,
        noise=noise,
    )
    ifd0: list[Tag] = [
        (271, "ASCII", make),
        (272, "ASCII", model),
        (274, "SHORT", [1]),
        (306, "ASCII", dt),
        (EXIF_PLACEHOLDER, "LONG", [0]),
        (50708, "ASCII", f"{make} {model}"),  # UniqueCameraModel
        (50721, "SRATIONAL", [rational(v) for v in CAM_FROM_XYZ.ravel()]),  # ColorMatrix1
        (50728, "RATIONAL", [rational(v) for v in SENSITIVITY / SENSITIVITY[1]]),  # AsShotNeutral
        (50778, "SHORT", [21]),  # CalibrationIlluminant1 = D65
    ]
    if gps:
        ifd0.append((GPS_PLACEHOLDER, "LONG", [0]))
    raw_ifd: list[Tag] = [
        (33421, "SHORT", [2, 2]),  # CFARepeatPatternDim
        (33422, "BYTE", [0, 1, 1, 2]),  # CFAPattern = RGGB
        (50710, "BYTE", [0, 1, 2]),  # CFAPlaneColor
        (50711, "SHORT", [1]),  # CFALayout = rectangular
        (50714, "SHORT", [black]),  # BlackLevel
        (50717, "SHORT", [2**bits - 1]),  # WhiteLevel
    ]
    thumb = _preview(raw, black, bits) if preview else None
    if optical_black:
        raw = _with_optical_black(raw, optical_black, black, bits, iso, seed, noise)
        ob, (fh, fw) = optical_black, raw.shape
        raw_ifd += [
            (50829, "LONG", [ob, ob, fh, fw]),  # ActiveArea: top, left, bottom, right
            (50830, "LONG", [0, 0, ob, fw, ob, 0, fh, ob]),  # MaskedAreas: top strip, left
        ]
    data = write_dng_bytes(
        raw, ifd0, raw_ifd, SOFTWARE, preview=thumb, bits=bits, lossless=lossless
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    exif: list[Tag] = [
        (33434, "RATIONAL", [rational(exposure_time, 100000)]),
        (33437, "RATIONAL", [rational(fnumber, 100)]),
        (34850, "SHORT", [2]),  # ExposureProgram = normal
        (34855, "SHORT", [int(iso)]),
        (34864, "SHORT", [2]),  # SensitivityType = REI
        (36864, "UNDEFINED", list(b"0232")),
        (36867, "ASCII", dt),
        (36868, "ASCII", dt),
        (37383, "SHORT", [5]),  # MeteringMode = pattern
        (37385, "SHORT", [16]),  # Flash = off
        (37386, "RATIONAL", [rational(focal_length, 10)]),
        (41989, "SHORT", [int(focal_length)]),
        (42033, "ASCII", serial),
        (42036, "ASCII", lens),
    ]
    if image_number is not None:
        exif.append((37393, "LONG", [int(image_number)]))  # ImageNumber
    append_pointer_ifds(path, exif, gps_tags(gps) if gps else None)
    return path


def _with_optical_black(
    raw: np.ndarray, ob: int, black: int, bits: int, iso: float, seed: int, noise: bool
) -> np.ndarray:
    """Surround the mosaic's top and left with masked pixels (dark: black + read noise)."""
    if ob % 2:
        raise ValueError("optical_black must be even to keep the CFA phase")
    h, w = raw.shape
    gain = (2**bits - 1 - black) / FULL_WELL_E * (iso / 100.0)
    sigma = float(np.hypot(READ_NOISE_E * gain, ADC_NOISE_DN)) if noise else 0.0
    rng = np.random.default_rng([seed, 0x0B1AC])
    full = np.rint(black + sigma * rng.standard_normal((h + ob, w + ob), dtype=np.float32))
    full = np.clip(full, 0, 2**bits - 1).astype(np.uint16)
    full[ob:, ob:] = raw
    return full


def _preview(raw: np.ndarray, black: int, bits: int) -> np.ndarray:
    """Camera-style small sRGB preview from the mosaic itself (half-size, WB, gamma)."""
    scale = np.float32(1.0 / ((2**bits - 1 - black) * EXPOSURE))
    planes = [(raw[dy::2, dx::2].astype(np.float32) - black) * scale for dy, dx, _ in RGGB_SITES]
    cam = np.stack([planes[0], (planes[1] + planes[2]) / 2, planes[3]], -1)
    rgb = cam @ np.linalg.inv(CAM_FROM_SRGB).T.astype(np.float32)
    im = Image.fromarray((linear_to_srgb(rgb) * 255 + 0.5).astype(np.uint8))
    im.thumbnail((1024, 1024), Image.Resampling.LANCZOS)
    return np.asarray(im)


# --------------------------------------------------------------------------- develop
def develop_jpeg(
    dng_path: str | os.PathLike[str],
    jpeg_path: str | os.PathLike[str],
    *,
    quality: int = 92,
    copy_exif: bool = True,
    half_size: bool = False,
) -> Path:
    """The honest rendition: rawpy postprocess(use_camera_wb=True) -> JPEG with the RAW's EXIF."""
    import rawpy

    with rawpy.imread(str(dng_path)) as r:
        rgb = r.postprocess(use_camera_wb=True, half_size=half_size)
    jpeg_path = Path(jpeg_path)
    jpeg_path.parent.mkdir(parents=True, exist_ok=True)
    kw: dict[str, Any] = {"quality": quality}
    if copy_exif:
        exif = exif_from_raw(dng_path)
        exif[274] = 1  # LibRaw already applied the RAW's orientation to the pixels
        kw["exif"] = exif
    Image.fromarray(rgb).save(jpeg_path, "JPEG", **kw)
    return jpeg_path


def make_pair(
    dirpath: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (768, 512),
    source: str = "astronaut",
    seed: int = 0,
    **kw: Any,
) -> tuple[Path, Path]:
    """Render `source`, write `<dir>/<stem>_s<seed>.dng` and its developed `.jpg`.

    Extra keywords go to write_bayer_dng (iso, make, serial, ...) or develop_jpeg
    (quality, copy_exif, half_size). `seed` is the sensor-noise seed; `scene_seed`
    (default 0 = centred) picks the crop, so two seeds give two burst frames of one scene.
    """
    unknown = set(kw) - _DNG_KW - _JPEG_KW - {"scene_seed"}
    if unknown:
        raise TypeError(f"make_pair got unknown keywords: {sorted(unknown)}")
    dirpath = Path(dirpath)
    stem = Path(source).stem if os.path.exists(source) else source
    dng = dirpath / f"{stem}_s{seed}.dng"
    scene = render_scene(source, size, seed=kw.pop("scene_seed", 0))
    dng_kw = {k: v for k, v in kw.items() if k in _DNG_KW}
    jpeg_kw = {k: v for k, v in kw.items() if k in _JPEG_KW}
    write_bayer_dng(dng, scene, seed=seed, **dng_kw)
    return dng, develop_jpeg(dng, dng.with_suffix(".jpg"), **jpeg_kw)
