from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .colour_lut import local_residual
from .flow_refine import refine_alignment
from .imaging import blur, grad_mag, to_lab
from .rendition_similarity import structure_maps
from .report import AnalysisResult, Region

# Colour: ΔE the recipe cannot explain, relative to what texture lets JPEG/demosaic differ by.
DE_FLOOR = 6.0
DE_PER_TEXTURE = 0.6
# Converters and camera profiles disagree most on saturated colours; a hue change of a
# local recolour moves them by far more than this share of their chroma.
DE_PER_CHROMA = 0.2
# Structure: 1 - local SSIM in units of what honest edits leave in textured areas.
SSIM_DROP_UNIT = 0.35
EXPOSURE_UNIT = 0.07  # log-ratio of (L+20): ~0.3 EV in mid-tones
EXPOSURE_PER_CHROMA = 0.002  # grey mixes of vivid colours move their lightness too
BORDER_PX = 6
# The score is judged against the picture's own residual level (its 90th percentile away from
# anything that stands out): a JPEG at q60 or a loosely modelled edit leaves more residue
# everywhere, a clean rendition almost none, and an edit stands out from either.
BACKGROUND_FLOOR = 0.15  # below this, residue is JPEG rounding: do not divide by less
SEED_Z = 6.0  # a region must peak this far above the background...
GROW_Z = 3.0  # ...and extends while it stays above this
MIN_MEAN_SCORE = 0.3  # and its residue must also be visible in absolute terms
REPORT_AREA = 0.0001  # share of frame: smaller blobs are noise (a dust spot is ~0.01 %)
FAIL_AREA = 0.0008  # share of frame: dust-spot removal (<= 0.05 %) stays below this
# How far above the background a region's mean must be to fail the picture. On the bench's
# authentic cases (187, both splits) no region reached 5.1 below 0.8 % of the frame or 4.0
# above it; these thresholds keep a ~20 % margin over that.
FAIL_Z = 4.5
SMALL_AREA = 0.008
FAIL_Z_SMALL = 5.5
# A recolour of a nearly grey or uniform area changes hue by a few ΔE only, within the
# colour tolerance above; but it does so coherently over a large area, which honest
# residue does not. Chroma residual (a, b only), in units of its own background:
HUE_FLOOR = 1.0  # ΔE: below this the chroma background is JPEG chroma rounding
HUE_GROW_Z = 2.5
HUE_SEED_Z = 4.0
HUE_FAIL_Z = 3.0
HUE_FAIL_AREA = 0.008  # authentic cases never held a region this large above HUE_GROW_Z
HUE_MIN_DE = 3.0


@dataclass
class TamperMaps:
    score: np.ndarray
    colour: np.ndarray
    structure: np.ndarray
    tex_pred: np.ndarray
    tex_img: np.ndarray
    background: float  # the score's 90th percentile away from standing-out areas
    z: np.ndarray  # score / background: how far each pixel stands out
    hue: np.ndarray  # chroma residual, ΔE of a and b only
    hue_z: np.ndarray  # hue / its own background


def tamper_maps(
    pred: np.ndarray,
    target: np.ndarray,
    valid: np.ndarray,
    saturated: np.ndarray | None = None,
    raw_plain: np.ndarray | None = None,
) -> TamperMaps:
    if raw_plain is not None:
        pred, raw_plain = refine_alignment(pred, target, raw_plain)
    else:
        (pred,) = refine_alignment(pred, target)
    ssim = structure_maps(pred, target)
    lab_p, lab_t = to_lab(pred), to_lab(target)
    # The RAW's own colour (plain rendering, before the recipe) keys the colour table and
    # the chroma tolerance; the image side is not used, so a recolour that saturates an
    # area cannot widen its own tolerance.
    lab_raw = to_lab(raw_plain) if raw_plain is not None else lab_p
    res = local_residual(lab_p, lab_t, valid, key=lab_raw)
    de = np.sqrt((res**2).sum(axis=2))
    tex_p = blur(grad_mag(lab_p[..., 0]), 2.0)
    tex_t = blur(grad_mag(lab_t[..., 0]), 2.0)
    # Texture excuses misalignment and demosaic differences only where both sides have it:
    # text or a pasted object adds texture to the image and must not widen its own tolerance.
    texture = np.minimum(tex_p, tex_t)
    # The RAW's own colourfulness: channel mixes for black and white or vibrance act
    # non-linearly on saturated colours.
    chroma = blur(np.hypot(lab_raw[..., 1], lab_raw[..., 2]), 2.0)
    tolerance = DE_FLOOR + DE_PER_TEXTURE * texture + DE_PER_CHROMA * chroma
    colour = blur(de, 1.5) / tolerance
    structure = blur(1.0 - ssim, 1.5) / SSIM_DROP_UNIT
    # Local exposure: a relit area keeps its structure and hue but not its brightness.
    lp = lab_p[..., 0]
    lt = np.clip(lp + res[..., 0], 0.0, 100.0)  # L after the table; a large edit may overshoot
    dl = blur(np.log((lt + 20.0) / (lp + 20.0)), 4.0)
    exposure = np.abs(dl) / (EXPOSURE_UNIT + EXPOSURE_PER_CHROMA * chroma)
    score = np.maximum(np.maximum(colour, structure), exposure)
    if saturated is not None:
        # In clipped highlights the converter, not the photographer, decides colour and detail.
        score *= 1.0 - 0.8 * np.clip(blur(saturated, 3.0) * 2, 0, 1)
    score[~valid] = 0.0
    # The outermost pixels carry resampling and JPEG edge-block artefacts, not edits.
    _zero_border(score)
    score = score.astype(np.float32)
    background = background_level(score, valid)
    z = score / max(BACKGROUND_FLOOR, background)
    hue = blur(np.hypot(res[..., 1], res[..., 2]), 3.0)
    hue[~valid] = 0.0
    _zero_border(hue)
    hue_z = hue / max(HUE_FLOOR, background_level(hue, valid))
    return TamperMaps(score, colour, structure, tex_p, tex_t, background, z, hue, hue_z)


def _zero_border(a: np.ndarray) -> None:
    m = BORDER_PX
    a[:m], a[-m:], a[:, :m], a[:, -m:] = 0.0, 0.0, 0.0, 0.0


def _image_box(x: int, y: int, bw: int, bh: int, to_image: float) -> list[int]:
    """A box in analysis pixels as [x0, y0, x1, y1] in the displayed image's pixels."""
    return [int(round(v * to_image)) for v in (x, y, x + bw, y + bh)]


def _components(
    z: np.ndarray, grow: float, seed: float, min_area: float, valid: np.ndarray
) -> list[tuple[tuple[int, int, int, int], np.ndarray, float]]:
    """Hysteresis: ((x, y, w, h), mask inside that box, share of frame) per component."""
    low = (z > grow).astype(np.uint8)
    low = cv2.morphologyEx(low, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    low = cv2.morphologyEx(low, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(low, connectivity=8)
    total = float(valid.sum()) or 1.0
    out = []
    for i in range(1, n):
        area = stats[i, cv2.CC_STAT_AREA] / total
        if area < min_area:
            continue
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        mask = labels[y : y + bh, x : x + bw] == i
        if float(z[y : y + bh, x : x + bw][mask].max()) >= seed:
            out.append(((x, y, bw, bh), mask, float(area)))
    return out


def find_regions(maps: TamperMaps, valid: np.ndarray, to_image: float) -> list[Region]:
    """Hysteresis on the score map; boxes are scaled by `to_image` into the image's pixels."""
    regions: list[Region] = []
    for (x, y, bw, bh), mask, area in _components(maps.z, GROW_Z, SEED_Z, REPORT_AREA, valid):
        zz = maps.z[y : y + bh, x : x + bw][mask]
        sc = maps.score[y : y + bh, x : x + bw][mask]
        tp = float(maps.tex_pred[y : y + bh, x : x + bw][mask].mean())
        tt = float(maps.tex_img[y : y + bh, x : x + bw][mask].mean())
        ratio = (tt + 0.5) / (tp + 0.5)
        kind = "added" if ratio > 1.4 else "removed" if ratio < 0.7 else "altered"
        box = _image_box(x, y, bw, bh, to_image)
        regions.append(Region(box, float(area), kind, float(np.mean(zz)), float(np.mean(sc))))
    for (x, y, bw, bh), mask, area in _components(
        maps.hue_z, HUE_GROW_Z, HUE_SEED_Z, HUE_FAIL_AREA, valid
    ):
        box = _image_box(x, y, bw, bh, to_image)
        if any(_inside(box, r.box) and fails(r) for r in regions):
            continue  # already failed by the main map
        hz = float(maps.hue_z[y : y + bh, x : x + bw][mask].mean())
        de = float(maps.hue[y : y + bh, x : x + bw][mask].mean())
        regions.append(Region(box, area, "altered", hz, de, rule="hue"))
    regions.sort(key=lambda r: -r.area_share)
    return regions


def _inside(a: list[int], b: list[int]) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def expansion_regions(outside: np.ndarray, to_image: float) -> list[Region]:
    """The parts of the picture beyond the RAW's frame, one box per connected piece."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(outside.astype(np.uint8), connectivity=8)
    total = float(outside.size)
    regions = []
    for i in range(1, n):
        area = stats[i, cv2.CC_STAT_AREA] / total
        if area < FAIL_AREA:
            continue
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        regions.append(Region(_image_box(x, y, bw, bh, to_image), float(area), "added", 0.0))
    return sorted(regions, key=lambda r: -r.area_share)


def background_level(score: np.ndarray, valid: np.ndarray) -> float:
    """90th percentile of the score outside anything standing out from a first estimate:
    a large edit must not raise the level it is judged against."""
    if not valid.any():
        return 0.0
    first = float(np.percentile(score[valid], 90))
    out = (score > max(0.5, 3 * first)).astype(np.uint8)
    rest = valid & ~cv2.dilate(out, np.ones((9, 9), np.uint8)).astype(bool)
    return float(np.percentile(score[rest], 90)) if rest.sum() > 1000 else first


def _need(r: Region) -> float:
    """Mean excess over the background a region needs to fail the picture."""
    if r.rule == "hue":
        return HUE_FAIL_Z
    return FAIL_Z if r.area_share >= SMALL_AREA else FAIL_Z_SMALL


def fails(region: Region) -> bool:
    hue = region.rule == "hue"
    return (
        region.area_share >= (HUE_FAIL_AREA if hue else FAIL_AREA)
        and region.score >= _need(region)
        and region.residual >= (HUE_MIN_DE if hue else MIN_MEAN_SCORE)
    )


def split_regions(regions: list[Region]) -> tuple[list[Region], list[Region]]:
    """(regions that fail the image, faint or tiny ones reported as retouches)."""
    failing = [r for r in regions if fails(r)]
    return failing, [r for r in regions if r not in failing]


def analyse_local_tamper(
    regions: list[Region], maps: TamperMaps | None, valid: np.ndarray | None
) -> AnalysisResult:
    if maps is None and regions:
        share = sum(r.area_share for r in regions)
        details = {
            "regions_failing": len(regions),
            "outside_raw_frame_share": share,
            "explanation": f"{100 * share:.1f} % of the picture lies outside the RAW's frame: "
            "it was added (generative expansion or a composite), not photographed.",
        }
        return AnalysisResult("local_tamper", False, 0.95, details)
    if maps is None or valid is None:
        details = {
            "explanation": "Local edits could not be checked because the image was not matched to the RAW."
        }
        return AnalysisResult("local_tamper", False, 0.5, details)
    failing, spots = split_regions(regions)
    ok = not failing
    if failing:
        share = sum(r.area_share for r in failing)
        kinds = sorted({r.kind for r in failing})
        explanation = (
            f"{len(failing)} area(s) covering {100 * share:.2f} % of the picture were changed "
            f"locally ({', '.join(kinds)}), which global edits cannot do."
        )
        strength = max(r.score / _need(r) for r in failing)
        conf = float(np.clip(0.6 + 0.2 * strength + 20 * share, 0.75, 0.99))
    elif spots:
        explanation = (
            f"Only {len(spots)} tiny or faint local difference(s), like dust-spot removal, "
            "remain after the global edits."
        )
        conf = 0.8
    else:
        explanation = "No part of the picture differs from the RAW beyond global edits."
        conf = 0.9
    sv = maps.score[valid] if valid.any() else np.zeros(1)
    details: dict[str, Any] = {
        "regions_failing": len(failing),
        "regions_small": len(spots),
        "score_p90": float(np.percentile(sv, 90)),
        "score_p99": float(np.percentile(sv, 99)),
        "score_max": float(sv.max()),
        "background": maps.background,
        "background_floor": BACKGROUND_FLOOR,
        "seed_over_background": SEED_Z,
        "grow_over_background": GROW_Z,
        "fail_area_share": FAIL_AREA,
        "fail_over_background": FAIL_Z,
        "fail_over_background_small": FAIL_Z_SMALL,
        "small_area_share": SMALL_AREA,
        "min_mean_score": MIN_MEAN_SCORE,
        "hue_background_floor_de": HUE_FLOOR,
        "hue_fail_over_background": HUE_FAIL_Z,
        "hue_fail_area_share": HUE_FAIL_AREA,
        "hue_min_de": HUE_MIN_DE,
        "report_area_share": REPORT_AREA,
        "explanation": explanation,
    }
    return AnalysisResult("local_tamper", ok, conf, details)
