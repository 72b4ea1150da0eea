from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from . import metadata as meta
from .decode import decode_raw, load_image
from .derived_images import write_thumbnail
from .exif_consistency import analyse_exif_consistency
from .raw_integrity import analyse_raw_integrity
from .report import AnalysisResult, Report

T = TypeVar("T")


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0

    def run(self, name: str, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        with self.stage(name):
            return fn(*args, **kw)


def analyse(
    raw_path: str | Path, image_path: str | Path, out_dir: str | Path | None = None
) -> Report:
    clock = _Clock()
    t_start = time.perf_counter()
    img = clock.run("decode_image", load_image, image_path)
    raw = clock.run("decode_raw", decode_raw, raw_path)
    with clock.stage("metadata"):
        raw_tags = meta.read_exif(raw.path)
        img_tags = meta.read_exif(img.path)
        raw_md = meta.raw_metadata(raw, raw_tags)
        img_md = meta.image_metadata(img, img_tags)
        lat, lon = meta.gps(raw_tags)
    analyses: list[AnalysisResult] = [
        clock.run("raw_integrity", analyse_raw_integrity, raw, raw_md, img.sha256),
        clock.run("exif_consistency", analyse_exif_consistency, raw_md, img_md),
    ]
    images: dict[str, str] = {}
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        with clock.stage("derived_images"):
            images["thumbnail"] = write_thumbnail(img.rgb, out)
    result = all(a.result for a in analyses)
    integrity = next(a for a in analyses if a.verificator == "raw_integrity")
    integrity_score = (
        integrity.confidence_score if integrity.result else 1 - integrity.confidence_score
    )
    confidence = min(a.confidence_score for a in analyses if a.result == result)
    seq = raw_md.get("image_number")
    clock.timings["total"] = time.perf_counter() - t_start
    return Report(
        result=result,
        result_confidence=confidence,
        analyses=analyses,
        raw_metadata=raw_md,
        image_metadata=img_md,
        timings=clock.timings,
        sequence_number=int(seq) if isinstance(seq, int | float) and seq > 0 else None,
        capture_gps_latitude=lat,
        capture_gps_longitude=lon,
        device_fingerprint_id=meta.device_fingerprint(raw_md),
        integrity_score=integrity_score,
        images=images,
    )
