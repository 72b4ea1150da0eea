"""Recognise uploads by content: magic bytes and headers, never a full decode.

The web process must stay cheap and safe, so this reads at most a few KiB of
header and walks IFD0 with hard bounds; the worker's sandboxed child decodes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 64 * 1024
MAX_IFD_ENTRIES = 512
TAG_MAKE = 0x010F
TAG_DNG_VERSION = 0xC612

TIFF_MAKES = {
    "NIKON": "NEF",
    "SONY": "ARW",
    "PENTAX": "PEF",
    "RICOH": "PEF",
    "SAMSUNG": "SRW",
    "CANON": "CR2",
}


class SniffError(ValueError):
    """The file is not what the field needs; the message is for a person."""


@dataclass(frozen=True)
class JpegInfo:
    width: int
    height: int


def _tiff_ifd0(head: bytes) -> dict[int, tuple[int, int, int]]:
    """IFD0 entries {tag: (type, count, value_or_offset)} from a TIFF header."""
    order = "<" if head[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", head[4:8])
    if offset + 2 > len(head):
        return {}
    (count,) = struct.unpack(order + "H", head[offset : offset + 2])
    entries: dict[int, tuple[int, int, int]] = {}
    for i in range(min(count, MAX_IFD_ENTRIES)):
        start = offset + 2 + 12 * i
        if start + 12 > len(head):
            break
        tag, typ, cnt, val = struct.unpack(order + "HHII", head[start : start + 12])
        entries[tag] = (typ, cnt, val)
    return entries


def _tiff_make(head: bytes, entries: dict[int, tuple[int, int, int]]) -> str:
    if TAG_MAKE not in entries:
        return ""
    _typ, cnt, val = entries[TAG_MAKE]
    raw = head[val : val + min(cnt, 64)] if cnt > 4 else val.to_bytes(4, "little")[:cnt]
    return raw.split(b"\0")[0].decode("ascii", "replace").strip().upper()


def sniff_raw(fh: BinaryIO) -> str:
    """The RAW format (CR2, CR3, ARW, NEF, DNG, RAF, ORF, RW2, PEF, SRW) or SniffError."""
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    if not head:
        raise SniffError("The file is empty.")
    if head[:3] == b"\xff\xd8\xff":
        raise SniffError("This is a JPEG, not a camera RAW file; upload it as the image.")
    if head[:16].startswith(b"FUJIFILMCCD-RAW"):
        return "RAF"
    if head[4:12] == b"ftypcrx ":
        return "CR3"
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return "ORF"
    if head[:4] == b"IIU\x00":
        return "RW2"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        if head[8:10] == b"CR":
            return "CR2"
        if len(head) < 16:
            raise SniffError("The RAW file is truncated.")
        entries = _tiff_ifd0(head)
        if TAG_DNG_VERSION in entries:
            return "DNG"
        make = _tiff_make(head, entries)
        for prefix, fmt in TIFF_MAKES.items():
            if make.startswith(prefix):
                return fmt
        raise SniffError("This TIFF file is not a camera RAW format we support.")
    raise SniffError(
        "Not a supported camera RAW file (CR2, CR3, ARW, NEF, DNG, RAF, ORF, RW2, PEF, SRW)."
    )


SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
MAX_JPEG_SEGMENTS = 1000


def _jpeg_frame_size(fh: BinaryIO) -> tuple[int, int] | None:
    """(width, height) from the first SOF segment, walking at most 1000 segments."""
    fh.seek(2)
    for _ in range(MAX_JPEG_SEGMENTS):
        marker = fh.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:  # fill bytes
            marker = marker[1:] + fh.read(1)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
            continue
        length_bytes = fh.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        if marker[1] in SOF_MARKERS:
            frame = fh.read(5)
            if len(frame) < 5:
                return None
            _precision, height, width = struct.unpack(">BHH", frame)
            return width, height
        if marker[1] in (0xDA, 0xD9) or length < 2:
            return None
        fh.seek(length - 2, 1)
    return None


def sniff_jpeg(fh: BinaryIO, *, max_pixels: int, min_side: int = 16) -> JpegInfo:
    """Header-only check of a JPEG: its declared size, never its pixels."""
    fh.seek(0)
    head = fh.read(3)
    fh.seek(0)
    if not head:
        raise SniffError("The file is empty.")
    if head != b"\xff\xd8\xff":
        raise SniffError("Not a JPEG image.")
    try:
        size = _jpeg_frame_size(fh)
    finally:
        fh.seek(0)
    if size is None:
        raise SniffError("The JPEG header is damaged or truncated.")
    width, height = size
    if width * height > max_pixels:
        raise SniffError(
            f"The JPEG declares {width}×{height} pixels, above the limit of "
            f"{max_pixels // 1_000_000} MP."
        )
    if min(width, height) < min_side:
        raise SniffError(
            f"The JPEG is {width}×{height} pixels; at least {min_side} px per side is needed."
        )
    return JpegInfo(width=width, height=height)
