from __future__ import annotations

import hashlib
import logging
from fractions import Fraction
from pathlib import Path
from typing import Any

import exifread

from .decode import ImageData, RawData

# exifread logs "File format not recognized" for camera formats it does not know; that is
# expected for non-TIFF RAWs and must not reach the CLI's output.
logging.getLogger("exifread").setLevel(logging.CRITICAL)

JSONScalar = str | int | float | bool | None

# exifread key -> report key; first hit wins, so camera-body tags come before fallbacks.
_FIELDS: list[tuple[str, list[str]]] = [
    ("make", ["Image Make"]),
    ("model", ["Image Model", "Image Tag 0xC614"]),
    (
        "body_serial",
        [
            "EXIF BodySerialNumber",
            "MakerNote SerialNumber",
            "Image Tag 0xC62F",
            "MakerNote InternalSerialNumber",
        ],
    ),
    ("lens", ["EXIF LensModel", "MakerNote LensModel", "MakerNote Lens", "Image Tag 0xC630"]),
    ("lens_serial", ["EXIF LensSerialNumber"]),
    ("capture_time", ["EXIF DateTimeOriginal", "Image DateTimeOriginal", "EXIF DateTimeDigitized"]),
    ("modify_time", ["Image DateTime"]),
    ("subsec", ["EXIF SubSecTimeOriginal"]),
    ("offset_time", ["EXIF OffsetTimeOriginal", "EXIF OffsetTime"]),
    ("exposure_time", ["EXIF ExposureTime", "Image ExposureTime"]),
    ("f_number", ["EXIF FNumber", "Image FNumber"]),
    ("iso", ["EXIF ISOSpeedRatings", "EXIF PhotographicSensitivity", "Image ISOSpeedRatings"]),
    ("focal_length", ["EXIF FocalLength", "Image FocalLength"]),
    ("exposure_bias", ["EXIF ExposureBiasValue"]),
    (
        "image_number",
        [
            "EXIF ImageNumber",
            "Image ImageNumber",
            "MakerNote ImageNumber",
            "MakerNote ShutterCount",
            "MakerNote TotalShutterReleases",
            "MakerNote FileNumber",
        ],
    ),
    ("software", ["Image Software"]),
    ("orientation", ["Image Orientation"]),
    ("artist", ["Image Artist"]),
]


def read_exif(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            tags = exifread.process_file(f, details=True, extract_thumbnail=False)
    except Exception:
        try:
            with open(path, "rb") as f:
                tags = exifread.process_file(f, details=False, extract_thumbnail=False)
        except Exception:
            tags = {}
    return dict(tags)


def _scalar(tag: Any) -> JSONScalar:
    vals = getattr(tag, "values", tag)
    if isinstance(vals, str):
        v = vals.strip().strip("\0").strip()
        return v or None
    if isinstance(vals, list | tuple):
        if not vals:
            return None
        if len(vals) > 1:
            return str(tag)[:120]
        vals = vals[0]
    if hasattr(vals, "numerator") and hasattr(vals, "denominator"):
        if vals.denominator == 0:
            return None
        return float(Fraction(int(vals.numerator), int(vals.denominator)))
    if isinstance(vals, int | float):
        return vals
    return str(vals)[:120]


def _empty(v: JSONScalar) -> bool:
    return v is None or v == "" or v == 0 or v == 0.0


def pick_fields(tags: dict[str, Any]) -> dict[str, JSONScalar]:
    out: dict[str, JSONScalar] = {}
    for name, keys in _FIELDS:
        for k in keys:
            if k in tags:
                v = _scalar(tags[k])
                if name == "orientation":
                    v = int(getattr(tags[k], "values", [1])[0] or 1)
                if not _empty(v):
                    out[name] = v
                    break
    if "lens" in out and isinstance(out["lens"], str) and out["lens"].startswith("["):
        del out["lens"]  # the DNG LensInfo array is a range, not a name
    return out


def gps(tags: dict[str, Any]) -> tuple[float | None, float | None]:
    def coord(key: str, ref_key: str) -> float | None:
        if key not in tags:
            return None
        try:
            d, m, s = (
                float(Fraction(int(x.numerator), int(x.denominator) or 1)) for x in tags[key].values
            )
        except Exception:
            return None
        v = d + m / 60 + s / 3600
        ref = str(tags.get(ref_key, "")).strip().upper()
        return -v if ref in ("S", "W") else v

    return coord("GPS GPSLatitude", "GPS GPSLatitudeRef"), coord(
        "GPS GPSLongitude", "GPS GPSLongitudeRef"
    )


def raw_metadata(raw: RawData, tags: dict[str, Any]) -> dict[str, JSONScalar]:
    md = pick_fields(tags)
    o = raw.other
    # LibRaw parses makers' notes that exifread cannot; fill the gaps from it.
    fallbacks = {
        "iso": o.get("iso"),
        "exposure_time": o.get("shutter"),
        "f_number": o.get("aperture"),
        "focal_length": o.get("focal_length"),
        "lens": raw.lens or None,
        "image_number": o.get("shot_order") or None,
    }
    for k, v in fallbacks.items():
        if k not in md and not _empty(v):
            md[k] = v
    if "capture_time" not in md and o.get("timestamp"):
        md["capture_time"] = str(o["timestamp"])
    h, w = raw.mosaic.shape[:2]
    md.update(
        width=int(w),
        height=int(h),
        bit_depth=int(max(1, raw.white).bit_length()),
        black_level=float(min(raw.black[:3])) if raw.black else 0.0,
        white_level=int(raw.white),
        cfa_pattern=_cfa_name(raw) if raw.cfa is not None else None,
        data_layout="bayer_mosaic" if raw.raw_type == "flat" else "rgb_per_pixel",
        compression=str(tags["Image Compression"]) if "Image Compression" in tags else None,
        dng=raw.is_dng,
        sha256=raw.sha256,
    )
    return md


def _cfa_name(raw: RawData) -> str:
    desc = raw.color_desc
    assert raw.cfa is not None
    return "".join(desc[int(c)] if int(c) < len(desc) else "?" for c in raw.cfa.reshape(-1))


def image_metadata(img: ImageData, tags: dict[str, Any]) -> dict[str, JSONScalar]:
    md = pick_fields(tags)
    h, w = img.rgb.shape[:2]
    q = None
    if img.quant_tables and 0 in img.quant_tables:
        q = estimate_jpeg_quality(img.quant_tables[0])
    md.update(
        width=int(w),
        height=int(h),
        format=img.format,
        orientation=img.orientation,
        chroma_subsampling=img.subsampling,
        jpeg_quality_estimate=q,
        exif_present=bool(tags),
        sha256=img.sha256,
    )
    return md


def estimate_jpeg_quality(luma_table: list[int]) -> int:
    """Invert the IJG scaling of the standard luminance table (libjpeg's quality formula)."""
    std = [
        16,
        11,
        10,
        16,
        24,
        40,
        51,
        61,
        12,
        12,
        14,
        19,
        26,
        58,
        60,
        55,
        14,
        13,
        16,
        24,
        40,
        57,
        69,
        56,
        14,
        17,
        22,
        29,
        51,
        87,
        80,
        62,
        18,
        22,
        37,
        56,
        68,
        109,
        103,
        77,
        24,
        35,
        55,
        64,
        81,
        104,
        113,
        92,
        49,
        64,
        78,
        87,
        103,
        121,
        120,
        101,
        72,
        92,
        95,
        98,
        112,
        100,
        103,
        99,
    ]
    scale = 100.0 * sum(luma_table) / sum(std)
    q = (200 - scale) / 2 if scale <= 100 else 5000 / scale
    return int(max(1, min(100, round(q))))


def device_fingerprint(md: dict[str, JSONScalar]) -> str | None:
    serial = md.get("body_serial")
    if _empty(serial):
        return None
    key = "|".join(str(md.get(k) or "").strip().lower() for k in ("make", "model")) + "|"
    key += str(serial).strip().lower()
    return hashlib.sha256(key.encode()).hexdigest()[:20]
