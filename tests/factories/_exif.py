"""EXIF for the factory: GPS IFD tags for the DNG, and RAW -> JPEG EXIF copying."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from PIL import Image

from tests.factories._tiff import Tag, rational

__all__ = ["exif_from_raw", "gps_tags"]


def gps_tags(gps: Sequence[float]) -> list[Tag]:
    lat, lon = float(gps[0]), float(gps[1])

    def dms(v: float) -> list[tuple[int, int]]:
        v = abs(v)
        d = int(v)
        m = int((v - d) * 60)
        s = (v - d - m / 60) * 3600
        return [(d, 1), (m, 1), rational(s, 1000)]

    tags: list[Tag] = [
        (0, "BYTE", [2, 3, 0, 0]),
        (1, "ASCII", "N" if lat >= 0 else "S"),
        (2, "RATIONAL", dms(lat)),
        (3, "ASCII", "E" if lon >= 0 else "W"),
        (4, "RATIONAL", dms(lon)),
    ]
    if len(gps) > 2:
        alt = float(gps[2])
        tags += [(5, "BYTE", [0 if alt >= 0 else 1]), (6, "RATIONAL", [rational(abs(alt), 100)])]
    return tags


def exif_from_raw(path: str | os.PathLike[str], software: str | None = None) -> Image.Exif:
    """IFD0 + EXIF + GPS tags of a TIFF-based RAW (read with exifread) as a Pillow Exif."""
    import exifread
    from PIL.TiffImagePlugin import IFDRational

    with open(path, "rb") as f:
        tags = exifread.process_file(f, details=False)
    exif = Image.Exif()
    dests: dict[str, Any] = {"EXIF": exif.get_ifd(0x8769), "GPS": exif.get_ifd(0x8825)}
    for key, tag in tags.items():
        grp = key.split(" ", 1)[0]
        if grp == "Image" and tag.tag in (271, 272, 274, 306):
            dest = exif
        elif grp in dests:
            dest = dests[grp]
        else:
            continue
        vals = tag.values
        if tag.field_type == 2:
            val: Any = str(vals).rstrip("\0")
        elif tag.field_type in (5, 10):
            rats = [IFDRational(int(v.numerator), int(v.denominator)) for v in vals]
            val = rats[0] if len(rats) == 1 else tuple(rats)
        elif tag.field_type in (1, 7):
            val = bytes(vals) if isinstance(vals, list | tuple) else vals
        else:
            val = vals[0] if isinstance(vals, list | tuple) and len(vals) == 1 else tuple(vals)
        dest[tag.tag] = val
    exif[305] = software or "rawpy/LibRaw"
    return exif
