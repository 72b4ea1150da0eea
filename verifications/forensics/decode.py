from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import rawpy
from PIL import Image, JpegImagePlugin

from .errors import UnreadableInput

MAX_PIXELS = 120_000_000
DECODE_LONG = 1536  # px: JPEGs are decoded at the smallest DCT scale at least this long
# A camera frame smaller than this is a test fixture or a fabrication, not a capture.
MIN_SIDE = 128
# Even lossy camera RAWs spend ~2 bits per photosite; 0.4 bits means the data is gone.
MIN_BYTES_PER_PIXEL = 0.05
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class RawData:
    path: Path
    sha256: str
    raw_type: str  # "flat" (one colour per photosite) or "stack" (already RGB per pixel)
    mosaic: np.ndarray  # visible sensor area, uint16, HxW (flat) or HxWxC (stack)
    full_raw: np.ndarray | None  # whole readout incl. masked borders (flat only)
    margins: tuple[int, int]  # top, left of the visible area inside full_raw
    cfa: np.ndarray | None  # 2x2 colour indices of the repeating pattern
    color_desc: str
    black: list[float]
    white: int
    flip: int
    rendition: np.ndarray  # linear float32 RGB, camera WB, LibRaw orientation
    rendition_scale: float  # visible-sensor pixels per rendition pixel
    camera_wb: list[float]
    other: dict[str, object] = field(default_factory=dict)
    lens: str = ""
    preview: bytes | None = None
    is_dng: bool = False
    saturated: np.ndarray | None = None  # float32 0/1 per rendition pixel: a photosite clipped


@dataclass
class ImageData:
    path: Path
    sha256: str
    format: str
    rgb: np.ndarray  # uint8 HxWx3, displayed orientation (EXIF orientation applied)
    stored_size: tuple[int, int]  # width, height as stored in the file
    scale: float  # rgb pixels per displayed image pixel (JPEG decoded at reduced size)
    orientation: int
    exif_bytes: bytes | None
    quant_tables: dict[int, list[int]] | None
    subsampling: str | None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_blank(mosaic: np.ndarray) -> bool:
    """All-zero or single-valued data: LibRaw 'decodes' stripped files into this without error."""
    step = max(1, int(np.sqrt(mosaic.shape[0] * mosaic.shape[1] / 250_000)))
    grid = mosaic[::step, ::step].reshape(-1)
    if grid.size == 0 or float(grid.std()) <= 1.0:
        return True
    counts = np.bincount(grid.astype(np.int64))
    return counts.max() > 0.95 * grid.size


def decode_raw(path: str | Path, target_long: int = 1600) -> RawData:
    path = Path(path)
    if not path.is_file():
        raise UnreadableInput("raw", "The RAW file does not exist.")
    if path.stat().st_size < 1024:
        raise UnreadableInput("raw", "The RAW file is too small to hold an image.")
    with _quiet_stderr():
        return _decode(path, target_long)


def _decode(path: Path, target_long: int) -> RawData:
    try:
        raw = rawpy.imread(str(path))
    except Exception as exc:  # LibRaw raises many unrelated types for hostile input
        raise UnreadableInput("raw", f"The RAW file could not be opened ({_why(exc)}).") from None
    with raw:
        s = raw.sizes
        if s.raw_width * s.raw_height > MAX_PIXELS or s.width * s.height > MAX_PIXELS:
            raise UnreadableInput("raw", "The RAW image is larger than 120 megapixels.")
        if min(s.width, s.height) < MIN_SIDE:
            raise UnreadableInput(
                "raw", f"The RAW image is only {s.width}x{s.height} pixels: not a camera capture."
            )
        # Stripped files make LibRaw hand back whatever memory it allocated (zeros, or stale
        # pixels from an earlier decode), so judge them by size before trusting the values.
        if path.stat().st_size < MIN_BYTES_PER_PIXEL * s.raw_width * s.raw_height:
            raise UnreadableInput(
                "raw",
                f"The RAW file is far too small for its {s.raw_width}x{s.raw_height} sensor: "
                "its image data was stripped or truncated.",
            )
        try:
            mosaic = raw.raw_image_visible.copy()
            stack = mosaic.ndim == 3
            # Only the masked borders of the full readout are used: keep those, not 2x the data.
            full = (
                None if stack or (s.top_margin < 4 and s.left_margin < 4) else raw.raw_image.copy()
            )
        except Exception as exc:
            raise UnreadableInput(
                "raw", f"The RAW sensor data is truncated or missing ({_why(exc)})."
            ) from None
        if _is_blank(mosaic if not stack else mosaic[..., :3]):
            raise UnreadableInput(
                "raw", "The RAW file holds no image data (the sensor values are blank)."
            )
        # LibRaw rewrites raw_pattern during a half-size develop: read it first.
        pattern = None if stack else np.asarray(raw.raw_pattern).copy()
        black = [float(b) for b in raw.black_level_per_channel]
        white = int(raw.white_level)
        vis_long = max(s.width, s.height)
        half = (not stack) and vis_long / 2 >= target_long
        try:
            rgb = raw.postprocess(
                use_camera_wb=True,
                half_size=half,
                no_auto_bright=True,
                gamma=(1, 1),
                output_bps=16,
                user_flip=None,
            )
        except Exception as exc:
            raise UnreadableInput(
                "raw", f"The RAW data could not be developed ({_why(exc)})."
            ) from None
        rendition = rgb.astype(np.float32) * (1 / 65535.0)
        del rgb
        saturated = _saturation_map(
            mosaic, black, white, flat=not stack, flip=int(s.flip), out_hw=rendition.shape[:2]
        )
        ow = rendition.shape[0] if s.flip in (5, 6) else rendition.shape[1]
        other = raw.other
        preview = None
        try:
            th = raw.extract_thumb()
            if th.format == rawpy.ThumbFormat.JPEG:
                preview = bytes(th.data)
        except Exception:
            preview = None
        return RawData(
            path=path,
            sha256=sha256_file(path),
            raw_type="stack" if stack else "flat",
            mosaic=mosaic,
            full_raw=full,
            margins=(int(s.top_margin), int(s.left_margin)),
            cfa=pattern,
            color_desc=raw.color_desc.decode("ascii", "replace"),
            black=black,
            white=white,
            flip=int(s.flip),
            rendition=rendition,
            rendition_scale=s.width / max(1, ow),
            camera_wb=[float(x) for x in raw.camera_whitebalance],
            other={
                "iso": float(other.iso_speed),
                "shutter": float(other.shutter_speed),
                "aperture": float(other.aperture),
                "focal_length": float(other.focal_length),
                "timestamp": other.timestamp.isoformat() if other.timestamp.year > 1970 else None,
                "shot_order": int(other.shot_order),
            },
            lens=str(raw.lens.model or ""),
            preview=preview,
            is_dng=_is_dng(path),
            saturated=saturated,
        )


def _saturation_map(
    mosaic: np.ndarray,
    black: list[float],
    white: int,
    *,
    flat: bool,
    flip: int,
    out_hw: tuple[int, ...],
) -> np.ndarray | None:
    """Where the sensor clipped, converters invent the highlight colour differently."""
    data = mosaic if flat else mosaic[..., :3].max(axis=2)
    top = float(data.max())
    b = float(min(black[:3])) if black else 0.0
    # Sensors often clip below the declared white level: use the pile-up at the observed top.
    thr = b + 0.97 * (top - b)
    sat = data >= thr
    if sat.mean() < 1e-4:
        return None
    h2, w2 = sat.shape[0] // 2 * 2, sat.shape[1] // 2 * 2
    sat = sat[:h2, :w2].reshape(h2 // 2, 2, w2 // 2, 2).any(axis=(1, 3))
    if flip == 3:
        sat = sat[::-1, ::-1]
    elif flip == 5:
        sat = np.rot90(sat, 1)
    elif flip == 6:
        sat = np.rot90(sat, -1)
    out = cv2.resize(sat.astype(np.float32), (out_hw[1], out_hw[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.dilate(out, np.ones((5, 5), np.uint8))


def _is_dng(path: Path) -> bool:
    # DNGVersion (0xC612) lives in IFD0 of every DNG, whatever the file is called.
    with open(path, "rb") as f:
        head = f.read(65536)
    return b"\x12\xc6\x01\x00" in head or b"\xc6\x12\x00\x01" in head


def _why(exc: BaseException) -> str:
    msg = str(exc).strip()
    if msg.startswith(("b'", 'b"')):
        msg = msg[1:]
    msg = msg.strip("'\" ") or type(exc).__name__
    return msg.splitlines()[0][:120]


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """LibRaw writes its own complaints to fd 2; the CLI promises a single line there."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load_image(path: str | Path) -> ImageData:
    path = Path(path)
    if not path.is_file():
        raise UnreadableInput("image", "The image file does not exist.")
    try:
        im = Image.open(path)
        w, h = im.size
    except Exception as exc:
        raise UnreadableInput(
            "image", f"The image file is not a readable image ({_why(exc)})."
        ) from None
    if w * h > MAX_PIXELS:
        raise UnreadableInput("image", "The image is larger than 120 megapixels.")
    if min(w, h) < 32:
        raise UnreadableInput("image", f"The image is only {w}x{h} pixels.")
    fmt = im.format or "unknown"
    exif = im.getexif()
    orientation = int(exif.get(0x0112, 1) or 1)
    quant = None
    sub = None
    if fmt == "JPEG":
        quant = {int(k): list(v) for k, v in getattr(im, "quantization", {}).items()}
        sub = _subsampling(im)
    exif_bytes = im.info.get("exif")
    try:
        if fmt == "JPEG" and max(w, h) >= 2 * DECODE_LONG:
            # The analyses work at ~1000 px: let libjpeg skip the fine DCT detail we'd discard.
            im.draft(
                "RGB", (max(1, w * DECODE_LONG // max(w, h)), max(1, h * DECODE_LONG // max(w, h)))
            )
        im.load()
        rgb_im = _apply_orientation(im.convert("RGB"), orientation)
    except Exception as exc:
        raise UnreadableInput(
            "image", f"The image is truncated or corrupt ({_why(exc)})."
        ) from None
    rgb = np.asarray(rgb_im, dtype=np.uint8)
    return ImageData(
        path=path,
        sha256=sha256_file(path),
        format=fmt,
        rgb=rgb,
        stored_size=(w, h),
        scale=rgb.shape[1] / (h if orientation in (5, 6, 7, 8) else w),
        orientation=orientation,
        exif_bytes=exif_bytes,
        quant_tables=quant,
        subsampling=sub,
    )


def _apply_orientation(im: Image.Image, orientation: int) -> Image.Image:
    ops = {
        2: [Image.Transpose.FLIP_LEFT_RIGHT],
        3: [Image.Transpose.ROTATE_180],
        4: [Image.Transpose.FLIP_TOP_BOTTOM],
        5: [Image.Transpose.TRANSPOSE],
        6: [Image.Transpose.ROTATE_270],
        7: [Image.Transpose.TRANSVERSE],
        8: [Image.Transpose.ROTATE_90],
    }.get(orientation, [])
    for op in ops:
        im = im.transpose(op)
    return im


def _subsampling(im: Image.Image) -> str | None:
    try:
        return {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}.get(JpegImagePlugin.get_sampling(im))
    except Exception:
        return None


def preview_image(data: bytes) -> np.ndarray | None:
    try:
        im = Image.open(io.BytesIO(data))
        if im.size[0] * im.size[1] > MAX_PIXELS:
            return None
        return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except Exception:
        return None
