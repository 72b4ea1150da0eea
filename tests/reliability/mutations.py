"""Hostile variants of valid RAW and JPEG files, for the fuzzing tests.

Each mutation targets a place decoders trust: the TIFF header, IFD entries
(counts, offsets, declared sizes, next-IFD links) and JPEG segment headers.
Everything is bounded: the walker never follows more than a few IFDs, so the
test itself cannot be fooled by the loops it creates.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_IFDS = 16
MAX_ENTRIES = 512
TAG_WIDTH, TAG_HEIGHT = 256, 257
TAG_SUBIFDS, TAG_EXIF = 330, 34665
TAG_DNG_VERSION = 0xC612


@dataclass(frozen=True)
class Ifd:
    offset: int  # where the entry count sits
    count: int  # number of 12-byte entries
    next_at: int  # where the next-IFD offset sits


@dataclass(frozen=True)
class Entry:
    at: int  # file offset of the 12-byte entry
    tag: int
    type: int
    count: int
    value: int


def _order(data: bytes) -> str:
    return "<" if data[:2] == b"II" else ">"


def tiff_ifds(data: bytes) -> list[tuple[Ifd, list[Entry]]]:
    """IFD0, its chain and the SubIFD/Exif IFDs it points to (bounded, loop-safe)."""
    order = _order(data)
    (first,) = struct.unpack(order + "I", data[4:8])
    todo, seen, out = [first], set(), []
    while todo and len(out) < MAX_IFDS:
        offset = todo.pop(0)
        if offset in seen or offset + 2 > len(data) or offset < 8:
            continue
        seen.add(offset)
        (n,) = struct.unpack(order + "H", data[offset : offset + 2])
        n = min(n, MAX_ENTRIES)
        entries = []
        for i in range(n):
            at = offset + 2 + 12 * i
            if at + 12 > len(data):
                break
            tag, typ, cnt, val = struct.unpack(order + "HHII", data[at : at + 12])
            entries.append(Entry(at, tag, typ, cnt, val))
            if tag in (TAG_SUBIFDS, TAG_EXIF) and cnt == 1:
                todo.append(val)
        next_at = offset + 2 + 12 * n
        out.append((Ifd(offset, n, next_at), entries))
        if next_at + 4 <= len(data):
            (nxt,) = struct.unpack(order + "I", data[next_at : next_at + 4])
            if nxt:
                todo.append(nxt)
    return out


def _put_u32(data: bytearray, at: int, value: int, order: str) -> None:
    if at + 4 <= len(data):
        data[at : at + 4] = struct.pack(order + "I", value & 0xFFFFFFFF)


def _entries(data: bytes) -> list[Entry]:
    return [e for _ifd, entries in tiff_ifds(data) for e in entries]


def truncate(data: bytes, fraction: float) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def flip_header_bit(data: bytes, bit: int, span: int = 16) -> bytes:
    out = bytearray(data)
    index = (bit // 8) % min(span, len(out))
    out[index] ^= 1 << (bit % 8)
    return bytes(out)


def flip_ifd_bit(data: bytes, pick: int, bit: int) -> bytes:
    entries = _entries(data)
    if not entries:
        return flip_header_bit(data, bit)
    entry = entries[pick % len(entries)]
    out = bytearray(data)
    out[entry.at + (bit // 8) % 12] ^= 1 << (bit % 8)
    return bytes(out)


def huge_dimensions(data: bytes, value: int) -> bytes:
    order = _order(data)
    out = bytearray(data)
    for entry in _entries(data):
        if entry.tag in (TAG_WIDTH, TAG_HEIGHT):
            if entry.type == 3:  # SHORT: the value sits in the first two bytes
                out[entry.at + 8 : entry.at + 10] = struct.pack(order + "H", min(value, 0xFFFF))
            else:
                _put_u32(out, entry.at + 8, value, order)
    return bytes(out)


def ifd_loop(data: bytes, which: int) -> bytes:
    """Point a next-IFD (or SubIFD) link back at IFD0, making the chain a cycle."""
    order = _order(data)
    ifds = tiff_ifds(data)
    (first,) = struct.unpack(order + "I", data[4:8])
    out = bytearray(data)
    links = [ifd.next_at for ifd, _ in ifds]
    links += [e.at + 8 for _, entries in ifds for e in entries if e.tag == TAG_SUBIFDS]
    if links:
        _put_u32(out, links[which % len(links)], first, order)
    return bytes(out)


def oversized_count(data: bytes, pick: int, count: int) -> bytes:
    order = _order(data)
    entries = _entries(data)
    out = bytearray(data)
    if entries:
        _put_u32(out, entries[pick % len(entries)].at + 4, count, order)
    return bytes(out)


def strip_dng_version(data: bytes) -> bytes:
    """A DNG whose DNGVersion tag is renamed reads as a plain (e.g. Nikon) TIFF."""
    order = _order(data)
    out = bytearray(data)
    for entry in _entries(data):
        if entry.tag == TAG_DNG_VERSION:
            out[entry.at : entry.at + 2] = struct.pack(order + "H", 0xC6FF)
    return bytes(out)


# --- JPEG ---------------------------------------------------------------------------


def jpeg_segments(data: bytes) -> list[tuple[int, int, int]]:
    """(offset of the marker, marker byte, declared length) up to the scan."""
    out, at = [], 2
    while at + 4 <= len(data) and len(out) < 64:
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        out.append((at, marker, length))
        if marker == 0xDA:
            break
        at += 2 + length
    return out


def jpeg_huge_dimensions(data: bytes, width: int, height: int) -> bytes:
    out = bytearray(data)
    for at, marker, _length in jpeg_segments(data):
        if marker in (0xC0, 0xC1, 0xC2):
            out[at + 5 : at + 9] = struct.pack(">HH", height & 0xFFFF, width & 0xFFFF)
    return bytes(out)


def jpeg_segment_length(data: bytes, pick: int, length: int) -> bytes:
    segments = jpeg_segments(data)
    out = bytearray(data)
    if segments:
        at, _marker, _ = segments[pick % len(segments)]
        out[at + 2 : at + 4] = struct.pack(">H", length & 0xFFFF)
    return bytes(out)


def jpeg_flip_segment_bit(data: bytes, pick: int, bit: int) -> bytes:
    segments = jpeg_segments(data)
    if not segments:
        return flip_header_bit(data, bit)
    at, _marker, length = segments[pick % len(segments)]
    out = bytearray(data)
    span = max(1, min(length + 2, len(out) - at))
    out[at + (bit // 8) % span] ^= 1 << (bit % 8)
    return bytes(out)
