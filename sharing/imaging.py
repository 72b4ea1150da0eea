"""Pure image work for sharing: the "verified" strip and web display copies.

No Django here: functions take file paths and plain values, so they are easy
to test and to run from a worker. Every output is re-encoded from decoded
pixels, which drops all metadata we do not copy on purpose; from EXIF we keep
the camera and exposure tags but never the GPS block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont, ImageOps

MIN_WIDTH = 480  # a strip narrower than this cannot carry a readable URL and QR code
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
MAKER_NOTE = 0x927C
OK_COLOUR = (15, 123, 69)
BAD_COLOUR = (180, 35, 24)
INK = (27, 31, 35)
MUTED = (91, 101, 112)


@dataclass(frozen=True)
class StripInfo:
    authentic: bool
    confidence: float | None
    verified_on: str  # YYYY-MM-DD
    short_code: str
    share_url: str


def _open_upright(path: Path | str) -> tuple[Image.Image, Image.Exif, bytes | None]:
    with Image.open(path) as im:
        im.load()
        exif = im.getexif()
        icc = im.info.get("icc_profile")
        upright = ImageOps.exif_transpose(im) or im
        return upright.convert("RGB"), exif, icc


def exif_without_gps(exif: Image.Exif) -> bytes:
    """The EXIF block to write: camera and exposure tags kept, GPS and maker notes dropped."""
    clean = Image.Exif()
    for tag, value in exif.items():
        if tag in (GPS_IFD, EXIF_IFD, ORIENTATION):
            continue
        clean[tag] = value
    sub = {k: v for k, v in exif.get_ifd(EXIF_IFD).items() if k != MAKER_NOTE}
    if sub:
        clean[EXIF_IFD] = sub
    clean[ORIENTATION] = 1  # the pixels are already upright
    return clean.tobytes()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, int(size)))


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int):  # noqa: ANN202
    """The largest font at most `size` whose rendering of text fits max_width."""
    while size > 8:
        font = _font(size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 1
    return _font(8)


def qr_image(url: str, target_px: int) -> Image.Image:
    """A crisp QR code (integer pixels per module, 4-module quiet zone) near target_px wide."""
    qr = segno.make(url, error="m", micro=False)
    rows = np.array([list(row) for row in qr.matrix_iter(scale=1, border=4)], dtype=bool)
    scale = max(2, target_px // rows.shape[0])
    pixels = np.where(rows, 0, 255).astype(np.uint8)
    pixels = np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))
    return Image.fromarray(pixels, "L").convert("RGB")


def render_strip(width: int, info: StripInfo) -> Image.Image:
    height = int(min(420, max(170, round(width * 0.16))))
    strip = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(strip)
    colour = OK_COLOUR if info.authentic else BAD_COLOUR
    bar = max(6, height // 24)
    draw.rectangle([0, 0, width, bar], fill=colour)

    qr = qr_image(info.share_url, height - bar)
    if qr.height > height - bar:
        qr = qr.resize((height - bar, height - bar), Image.NEAREST)
    strip.paste(qr, (width - qr.width, bar + (height - bar - qr.height) // 2))

    pad = max(10, height // 12)
    text_w = width - qr.width - 2 * pad
    title = "VERIFIED AUTHENTIC" if info.authentic else "NOT VERIFIED"
    confidence = "n/a" if info.confidence is None else f"{round(info.confidence * 100)}%"
    facts = f"Confidence {confidence}  ·  Verified {info.verified_on}  ·  Code {info.short_code}"
    lines = [
        (f"Lumethic: {title}", int(height * 0.2), colour),
        (facts, int(height * 0.11), INK),
        (info.share_url, int(height * 0.1), MUTED),
        ("Scan or open the link to see the evidence.", int(height * 0.09), MUTED),
    ]
    y = bar + pad
    for text, size, fill in lines:
        font = _fit(draw, text, size, text_w)
        draw.text((pad, y), text, font=font, fill=fill)
        bbox = draw.textbbox((pad, y), text, font=font)
        y = bbox[3] + max(4, height // 30)
    return strip


def compose_signed(src: Path | str, dst: Path | str, info: StripInfo) -> tuple[int, int]:
    """Write the image with the verification strip below it; returns the image's (w, h)."""
    image, exif, icc = _open_upright(src)
    w, h = image.size
    canvas_w = max(w, MIN_WIDTH)
    strip = render_strip(canvas_w, info)
    canvas = Image.new("RGB", (canvas_w, h + strip.height), (255, 255, 255))
    canvas.paste(image, ((canvas_w - w) // 2, 0))
    canvas.paste(strip, (0, h))
    params: dict = {"quality": 95, "subsampling": 0, "exif": exif_without_gps(exif)}
    if icc:
        params["icc_profile"] = icc
    canvas.save(dst, "JPEG", **params)
    return w, h


def display_copy(
    src: Path | str, dst: Path | str, *, size: tuple[int, int] | None = None, long_edge: int = 1600
) -> None:
    """A metadata-free web copy of the JPEG, at `size` (to match another image) or smaller."""
    image, _exif, icc = _open_upright(src)
    if size is not None and size != image.size:
        image = image.resize(size, Image.LANCZOS)
    elif max(image.size) > long_edge:
        image.thumbnail((long_edge, long_edge), Image.LANCZOS)
    params: dict = {"quality": 88}
    if icc:
        params["icc_profile"] = icc
    image.save(dst, "JPEG", **params)


def image_size(path: Path | str) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size
