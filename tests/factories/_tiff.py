"""Low-level DNG writing for the test-data factory: tag lists, tifffile, EXIF/GPS IFDs.

tifffile writes the image IFDs but refuses the IFD-pointer tags ExifIFD (34665) and
GPSInfo (34853). We therefore write placeholder tags with the neighbouring codes
34664 / 34852 (no other IFD0 tag sorts between them, so the entry order stays valid),
append the EXIF and GPS IFDs at the end of the file, and rename the placeholders in
place. The file is little-endian classic TIFF, so all offsets are 32-bit.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

Tag = tuple[int, str, Any]  # (code, TIFF type name, values)

EXIF_PLACEHOLDER = 34664
GPS_PLACEHOLDER = 34852
EXIF_POINTER = 34665
GPS_POINTER = 34853

_TYPES: dict[str, tuple[int, str | None]] = {
    "BYTE": (1, "B"),
    "ASCII": (2, None),
    "SHORT": (3, "H"),
    "LONG": (4, "I"),
    "RATIONAL": (5, "II"),
    "UNDEFINED": (7, "B"),
    "SRATIONAL": (10, "ii"),
}
_TIFFFILE_DTYPE = {
    "BYTE": "B",
    "SHORT": "H",
    "LONG": "I",
    "RATIONAL": "2I",
    "SRATIONAL": "2i",
    "UNDEFINED": "B",
}


def rational(x: float | str | Fraction, max_den: int = 10000) -> tuple[int, int]:
    """A TIFF (S)RATIONAL from a float or a string like "1/250"."""
    f = Fraction(x).limit_denominator(max_den)
    return (f.numerator, f.denominator)


def _to_tifffile(tag: Tag) -> tuple[int, str, int, Any, bool]:
    code, typ, vals = tag
    if typ == "ASCII":
        return (code, "s", 0, vals, True)
    if typ in ("RATIONAL", "SRATIONAL"):
        flat = tuple(x for v in vals for x in v)
        return (code, _TIFFFILE_DTYPE[typ], len(vals), flat, True)
    return (code, _TIFFFILE_DTYPE[typ], len(vals), tuple(vals), True)


def has_imagecodecs() -> bool:
    try:
        import imagecodecs  # noqa: F401
    except ImportError:
        return False
    return True


def _write_raw(tw: Any, raw: np.ndarray, bits: int, lossless: bool, **kw: Any) -> None:
    """The CFA IFD: uncompressed strips, or 256x256 lossless-JPEG tiles as cameras write."""
    h, w = raw.shape
    if not lossless:
        tw.write(raw, photometric=32803, compression=None, rowsperstrip=h, metadata=None, **kw)
        return
    import imagecodecs

    t = 256

    def tiles() -> Iterator[bytes]:
        for y in range(0, h, t):
            for x in range(0, w, t):
                tile = np.zeros((t, t), np.uint16)
                blk = raw[y : y + t, x : x + t]
                tile[: blk.shape[0], : blk.shape[1]] = blk
                yield imagecodecs.ljpeg_encode(tile, bitspersample=bits)

    tw.write(
        tiles(),
        shape=(h, w),
        dtype=np.uint16,
        photometric=32803,
        compression=7,
        tile=(t, t),
        bitspersample=bits,
        metadata=None,
        **kw,
    )


def write_dng_bytes(
    raw: np.ndarray,
    ifd0_tags: Sequence[Tag],
    raw_tags: Sequence[Tag],
    software: str,
    preview: np.ndarray | None = None,
    *,
    bits: int = 14,
    lossless: bool = False,
) -> bytes:
    """Serialise a CFA mosaic (uint16) as a DNG.

    Without a preview the raw CFA is IFD0 (like Magic Lantern DNGs). With one, IFD0
    is an 8-bit preview (NewSubfileType=1) and the CFA is SubIFD 0, the layout of
    camera and Adobe DNGs. The preview is a baseline JPEG when imagecodecs is
    installed (tifffile needs it to store JPEG), else uncompressed RGB; LibRaw
    extracts the first as JPEG and the second as a bitmap.
    """
    import tifffile

    common = [_to_tifffile(t) for t in ifd0_tags]
    common += [(50706, "B", 4, (1, 4, 0, 0), True), (50707, "B", 4, (1, 1, 0, 0), True)]
    rawt = [_to_tifffile(t) for t in raw_tags]
    buf = io.BytesIO()
    with tifffile.TiffWriter(buf, bigtiff=False, byteorder="<") as tw:
        if preview is None:
            _write_raw(
                tw, raw, bits, lossless, software=software, subfiletype=0, extratags=common + rawt
            )
        else:
            ph, pw = preview.shape[:2]
            kw: dict[str, Any] = dict(
                subfiletype=1,
                subifds=1,
                rowsperstrip=ph,
                metadata=None,
                software=software,
                extratags=common,
            )
            if has_imagecodecs():
                from PIL import Image

                jpeg = io.BytesIO()
                Image.fromarray(preview).save(jpeg, "JPEG", quality=85, subsampling=2)
                tw.write(
                    iter([jpeg.getvalue()]),
                    shape=(ph, pw, 3),
                    dtype=np.uint8,
                    photometric="ycbcr",
                    compression=7,
                    subsampling=(2, 2),
                    **kw,
                )
            else:
                tw.write(preview, photometric="rgb", compression=None, **kw)
            _write_raw(tw, raw, bits, lossless, subfiletype=0, extratags=rawt)
    return buf.getvalue()


def _encode(typ: str, vals: Any) -> tuple[int, bytes]:
    if typ == "ASCII":
        b = vals.encode("ascii") + b"\0"
        return len(b), b
    fmt = _TYPES[typ][1]
    if typ in ("RATIONAL", "SRATIONAL"):
        return len(vals), b"".join(struct.pack("<" + str(fmt), *v) for v in vals)
    return len(vals), struct.pack(f"<{len(vals)}{fmt}", *vals)


def _ifd_bytes(start: int, tags: Sequence[Tag]) -> bytes:
    """One IFD (entries + out-of-line data) laid out to begin at file offset `start`."""
    tags = sorted(tags, key=lambda t: t[0])
    hdr_len = 2 + 12 * len(tags) + 4
    entries, data = [], b""
    for code, typ, vals in tags:
        count, payload = _encode(typ, vals)
        if len(payload) <= 4:
            field = payload.ljust(4, b"\0")
        else:
            field = struct.pack("<I", start + hdr_len + len(data))
            data += payload + (b"\0" if len(payload) % 2 else b"")
        entries.append(struct.pack("<HHI", code, _TYPES[typ][0], count) + field)
    return struct.pack("<H", len(tags)) + b"".join(entries) + b"\0\0\0\0" + data


def append_pointer_ifds(path: Path, exif: Sequence[Tag], gps: Sequence[Tag] | None) -> None:
    """Append the EXIF (and GPS) IFDs at EOF and point IFD0's placeholders at them."""
    with open(path, "r+b") as f:
        head = f.read(8)
        if head[:4] != b"II*\0":
            raise ValueError("expects a little-endian classic TIFF")
        ifd0 = struct.unpack("<I", head[4:])[0]
        f.seek(ifd0)
        n = struct.unpack("<H", f.read(2))[0]
        positions: dict[int, int] = {}
        for i in range(n):
            code = struct.unpack("<H", f.read(12)[:2])[0]
            positions[code] = ifd0 + 2 + 12 * i
        pending = [(EXIF_PLACEHOLDER, EXIF_POINTER, exif)]
        if gps:
            pending.append((GPS_PLACEHOLDER, GPS_POINTER, gps))
        for placeholder, pointer, tags in pending:
            if placeholder not in positions:
                raise RuntimeError(f"IFD0 lacks placeholder tag {placeholder}")
            f.seek(0, os.SEEK_END)
            start = f.tell()
            if start % 2:  # IFDs must start on a word boundary
                f.write(b"\0")
                start += 1
            f.write(_ifd_bytes(start, tags))
            f.seek(positions[placeholder])
            f.write(struct.pack("<HHII", pointer, 4, 1, start))
