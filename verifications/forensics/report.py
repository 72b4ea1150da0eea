from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

VERIFICATORS = (
    "raw_integrity",
    "exif_consistency",
    "sensor_pattern",
    "rendition_similarity",
    "local_tamper",
    "histogram",
    "recapture",
)


@dataclass
class AnalysisResult:
    verificator: str
    result: bool
    confidence_score: float
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verificator": self.verificator,
            "result": bool(self.result),
            "confidence_score": round(float(self.confidence_score), 4),
            "details": jsonable(self.details),
        }


@dataclass
class Region:
    box: list[int]  # x0, y0, x1, y1 in the image's displayed pixels, exclusive end
    area_share: float
    kind: str  # added | removed | altered
    score: float  # mean residual over the region in units of the picture's own background
    residual: float = 0.0  # mean absolute residual score (not in units of the background)
    rule: str = "residual"  # which map found it: "residual" (all cues) or "hue" (chroma only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "box": [int(v) for v in self.box],
            "area_share": round(self.area_share, 6),
            "kind": self.kind,
            "score": round(self.score, 4),
        }


@dataclass
class Report:
    result: bool
    result_confidence: float
    analyses: list[AnalysisResult]
    raw_metadata: dict[str, Any]
    image_metadata: dict[str, Any]
    rendition_info: dict[str, Any] = field(default_factory=dict)
    rendition_corrected_info: dict[str, Any] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    sequence_number: int | None = None
    capture_gps_latitude: float | None = None
    capture_gps_longitude: float | None = None
    device_fingerprint_id: str | None = None
    integrity_score: float = 0.0
    images: dict[str, str] = field(default_factory=dict)

    def analysis(self, verificator: str) -> AnalysisResult | None:
        return next((a for a in self.analyses if a.verificator == verificator), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": bool(self.result),
            "result_confidence": round(float(self.result_confidence), 4),
            "analyses": [a.to_dict() for a in self.analyses],
            "raw_metadata": jsonable(self.raw_metadata),
            "image_metadata": jsonable(self.image_metadata),
            "rendition_info": jsonable(self.rendition_info),
            "rendition_corrected_info": jsonable(self.rendition_corrected_info),
            "regions": [r.to_dict() for r in self.regions],
            "timings": {k: round(float(v), 4) for k, v in self.timings.items()},
            "sequence_number": self.sequence_number,
            "capture_gps_latitude": self.capture_gps_latitude,
            "capture_gps_longitude": self.capture_gps_longitude,
            "device_fingerprint_id": self.device_fingerprint_id,
            "integrity_score": round(float(self.integrity_score), 4),
            "images": dict(self.images),
        }


def jsonable(value: Any) -> Any:
    """Plain JSON types only: numpy scalars/arrays become Python, NaN/inf become None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        f = float(value)
        return round(f, 6) if math.isfinite(f) else None
    if value is None or isinstance(value, str | int):
        return value
    return str(value)
