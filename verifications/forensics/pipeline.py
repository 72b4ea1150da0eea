from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from . import metadata as meta
from . import recipe as rcp
from . import registration as reg_mod
from .confidence import integrity, verdict
from .decode import ImageData, RawData, decode_raw, load_image
from .derived_images import write_heatmap, write_registered, write_thumbnail
from .exif_consistency import analyse_exif_consistency
from .gain_field import fit_gain_field
from .histogram import analyse_histogram
from .imaging import resize_long, srgb_encode
from .jpeg_grain import same_capture_on_grid
from .local_tamper import (
    FAIL_Z_SMALL,
    analyse_local_tamper,
    expansion_regions,
    find_regions,
    split_regions,
    tamper_maps,
)
from .raw_integrity import analyse_raw_integrity
from .recapture import analyse_recapture
from .rendition_similarity import analyse_rendition_similarity, structure_maps
from .report import AnalysisResult, Region, Report
from .same_capture import grain_match
from .sensor_pattern import analyse_sensor_pattern
from .warp import grey_for_ecc, warp_to_target

ANALYSIS_LONG = 1024  # px: 0.2 % of the frame is still ~1700 pixels here

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
        clock.run("sensor_pattern", analyse_sensor_pattern, raw, raw_md),
    ]
    cmp = _compare(raw, img, clock)
    analyses += cmp.analyses
    analyses.append(clock.run("recapture", analyse_recapture, raw, raw_md))
    images: dict[str, str] = {}
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        with clock.stage("derived_images"):
            images["thumbnail"] = write_thumbnail(img.rgb, out)
            if cmp.pred is not None and cmp.valid is not None:
                images["registered"] = write_registered(cmp.pred, cmp.valid, out)
            if cmp.score is not None:
                images["heatmap"] = write_heatmap(
                    img.rgb, cmp.score, cmp.regions, 1 / cmp.to_image, out
                )
    result, confidence = verdict(analyses)
    integrity_score = integrity(analyses)
    seq = raw_md.get("image_number")
    clock.timings["total"] = time.perf_counter() - t_start
    return Report(
        result=result,
        result_confidence=confidence,
        analyses=analyses,
        raw_metadata=raw_md,
        image_metadata=img_md,
        rendition_info=cmp.rendition_info,
        rendition_corrected_info=cmp.recipe_info,
        regions=cmp.regions,
        timings=clock.timings,
        sequence_number=int(seq) if isinstance(seq, int | float) and seq > 0 else None,
        capture_gps_latitude=lat,
        capture_gps_longitude=lon,
        device_fingerprint_id=meta.device_fingerprint(raw_md),
        integrity_score=integrity_score,
        images=images,
    )


class _Comparison:
    def __init__(self) -> None:
        self.analyses: list[AnalysisResult] = []
        self.pred: np.ndarray | None = None
        self.valid: np.ndarray | None = None
        self.score: np.ndarray | None = None
        self.regions: list[Region] = []
        self.rendition_info: dict[str, Any] = {}
        self.recipe_info: dict[str, Any] = {}
        self.to_image = 1.0


def _compare(raw: RawData, img: ImageData, clock: _Clock) -> _Comparison:
    """Register the RAW onto the image, fit the global recipe, and judge what it leaves."""
    cmp = _Comparison()
    with clock.stage("registration"):
        target_u8, a_scale = resize_long(img.rgb, ANALYSIS_LONG)
        target = target_u8.astype(np.float32) * (1 / 255.0)
        a_scale *= img.scale  # analysis pixels per displayed image pixel
        cmp.to_image = 1 / a_scale
        reg = reg_mod.register(raw.rendition, target)
        warped = valid = sat = None
        if reg.ok:
            t_grey = grey_for_ecc(target, linear=False)
            warped, sat, valid, reg = warp_to_target(
                raw.rendition, raw.saturated, reg, target.shape[:2], t_grey
            )
            if valid.mean() < 0.3:
                reg.ok, reg.reason = False, "the matched area is too small"
        if reg.expands:
            outside = reg_mod.outside_frame(reg, raw.rendition.shape, target.shape)
            cmp.regions = expansion_regions(outside, cmp.to_image)
        cmp.rendition_info = reg_mod.describe(
            reg,
            raw.rendition_scale,
            raw.mosaic.shape[:2],
            target.shape[:2],
            a_scale,
            img.orientation,
        )
    ssim = None
    grain: dict[str, Any] = {}
    coefficients: dict[str, Any] = {}
    if reg.ok and warped is not None and valid is not None:
        with clock.stage("recipe"):
            recipe = rcp.fit_recipe(warped, target, valid)
            pred = recipe.predict(warped)
            gain, gain_info = fit_gain_field(pred, target, valid)
            cmp.pred = np.clip(pred * gain[..., None], 0, 1)
            cmp.valid = valid
            cmp.recipe_info = rcp.describe(recipe, warped, target, valid)
            cmp.recipe_info["smooth_gain_spread"] = gain_info.get("gain_spread", 1.0)
        with clock.stage("rendition_similarity"):
            ssim = structure_maps(cmp.pred, target)
            grain = grain_match(cmp.pred, target, valid)
            coefficients = same_capture_on_grid(raw, img, reg, a_scale)
    cmp.analyses.append(
        clock.run(
            "rendition_similarity",
            analyse_rendition_similarity,
            reg.ok,
            reg.reason,
            ssim,
            cmp.valid,
            cmp.recipe_info,
            grain,
            coefficients,
        )
    )
    with clock.stage("local_tamper"):
        maps = None
        if cmp.pred is not None and ssim is not None and cmp.valid is not None:
            plain = srgb_encode(warped / recipe.norm) if warped is not None else None
            maps = tamper_maps(cmp.pred, target, cmp.valid, sat, plain)
            # The heatmap saturates at 3: that is where a small region starts to fail.
            cmp.score = maps.z * (3.0 / FAIL_Z_SMALL)
            cmp.regions = find_regions(maps, cmp.valid, cmp.to_image)
        cmp.analyses.append(analyse_local_tamper(cmp.regions, maps, cmp.valid))
        failing, spots = split_regions(cmp.regions)
        # When something fails, the faint leftovers only blur where to look.
        cmp.regions = failing or spots
    cmp.analyses.append(clock.run("histogram", analyse_histogram, cmp.pred, target, cmp.valid))
    return cmp
