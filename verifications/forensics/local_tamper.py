from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .imaging import blur, grad_mag, to_lab
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
SEED_SCORE = 1.6  # a region must peak this high somewhere...
GROW_SCORE = 0.8  # ...and extends while the score stays above this
REPORT_AREA = 0.0001  # share of frame: smaller blobs are noise (a dust spot is ~0.01 %)
# A region fails only if the evidence inside it is strong on average: honest edits the recipe
# models imperfectly (vibrance, local contrast, a different demosaic) leave broad weak residue.
FAIL_MEAN_SCORE = 1.85
# ...and stand out from the image's own background residual (90th percentile of the score):
# an edit the recipe models loosely (local contrast sliders) raises residue everywhere.
FAIL_OVER_BACKGROUND = 2.5
FAIL_AREA = 0.0008  # share of frame: dust-spot removal (<= 0.05 %) stays below this
# A broad region (relit or recoloured object) may be fainter, but must then stand far out
# from the background: honest residue this large stays below ~1.25 on our authentic set.
BROAD_AREA = 0.015
BROAD_MEAN_SCORE = 1.4
BROAD_OVER_BACKGROUND = 4.0


@dataclass
class TamperMaps:
    score: np.ndarray
    colour: np.ndarray
    structure: np.ndarray
    tex_pred: np.ndarray
    tex_img: np.ndarray


def tamper_maps(
    pred: np.ndarray,
    target: np.ndarray,
    ssim: np.ndarray,
    valid: np.ndarray,
    saturated: np.ndarray | None = None,
    raw_plain: np.ndarray | None = None,
) -> TamperMaps:
    lab_p, lab_t = to_lab(pred), to_lab(target)
    de = np.sqrt(((lab_p - lab_t) ** 2).sum(axis=2))
    tex_p = blur(grad_mag(lab_p[..., 0]), 2.0)
    tex_t = blur(grad_mag(lab_t[..., 0]), 2.0)
    texture = 0.5 * (tex_p + tex_t)
    # The RAW's own colourfulness (plain rendering, before the recipe): channel mixes for
    # black and white or vibrance act non-linearly on saturated colours. The image side is
    # not used, so a recolour that saturates an area cannot widen its own tolerance.
    lab_raw = to_lab(raw_plain) if raw_plain is not None else lab_p
    chroma = blur(np.hypot(lab_raw[..., 1], lab_raw[..., 2]), 2.0)
    tolerance = DE_FLOOR + DE_PER_TEXTURE * texture + DE_PER_CHROMA * chroma
    colour = blur(de, 1.5) / tolerance
    structure = blur(1.0 - ssim, 1.5) / SSIM_DROP_UNIT
    # Local exposure: a relit area keeps its structure and hue but not its brightness.
    lp, lt = lab_p[..., 0], lab_t[..., 0]
    dl = blur(np.log((lt + 20.0) / (lp + 20.0)), 4.0)
    exposure = np.abs(dl) / (EXPOSURE_UNIT + EXPOSURE_PER_CHROMA * chroma)
    score = np.maximum(np.maximum(colour, structure), exposure)
    if saturated is not None:
        # In clipped highlights the converter, not the photographer, decides colour and detail.
        score *= 1.0 - 0.8 * np.clip(blur(saturated, 3.0) * 2, 0, 1)
    score[~valid] = 0.0
    # The outermost pixels carry resampling and JPEG edge-block artefacts, not edits.
    m = BORDER_PX
    score[:m], score[-m:], score[:, :m], score[:, -m:] = 0.0, 0.0, 0.0, 0.0
    return TamperMaps(score.astype(np.float32), colour, structure, tex_p, tex_t)


def find_regions(maps: TamperMaps, valid: np.ndarray, to_image: float) -> list[Region]:
    """Hysteresis on the score map; boxes are scaled by `to_image` into the image's pixels."""
    low = (maps.score > GROW_SCORE).astype(np.uint8)
    low = cv2.morphologyEx(low, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    low = cv2.morphologyEx(low, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(low, connectivity=8)
    total = float(valid.sum()) or 1.0
    h, w = maps.score.shape
    regions: list[Region] = []
    for i in range(1, n):
        area = stats[i, cv2.CC_STAT_AREA] / total
        if area < REPORT_AREA:
            continue
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        mask = labels[y : y + bh, x : x + bw] == i
        sc = maps.score[y : y + bh, x : x + bw][mask]
        if float(sc.max()) < SEED_SCORE:
            continue
        tp = float(maps.tex_pred[y : y + bh, x : x + bw][mask].mean())
        tt = float(maps.tex_img[y : y + bh, x : x + bw][mask].mean())
        ratio = (tt + 0.5) / (tp + 0.5)
        kind = "added" if ratio > 1.4 else "removed" if ratio < 0.7 else "altered"
        box = [x, y, x + bw, y + bh]
        box = [int(round(v * to_image)) for v in box]
        regions.append(Region(box, float(area), kind, float(np.mean(sc))))
    regions.sort(key=lambda r: -r.area_share)
    return regions


def fail_score(background: float) -> float:
    """Mean score a region needs to fail the image, given the image's own residual level."""
    return max(FAIL_MEAN_SCORE, FAIL_OVER_BACKGROUND * background)


def background_level(score: np.ndarray, valid: np.ndarray) -> float:
    return float(np.percentile(score[valid], 90)) if valid.any() else 0.0


def split_regions(regions: list[Region], background: float) -> tuple[list[Region], list[Region]]:
    """(regions that fail the image, faint or tiny ones reported as retouches)."""
    need = fail_score(background)
    broad_need = max(BROAD_MEAN_SCORE, BROAD_OVER_BACKGROUND * background)
    failing = [
        r
        for r in regions
        if (r.area_share >= FAIL_AREA and r.score >= need)
        or (r.area_share >= BROAD_AREA and r.score >= broad_need)
    ]
    return failing, [r for r in regions if r not in failing]


def analyse_local_tamper(
    regions: list[Region], maps: TamperMaps | None, valid: np.ndarray | None
) -> AnalysisResult:
    if maps is None or valid is None:
        details = {
            "explanation": "Local edits could not be checked because the image was not matched to the RAW."
        }
        return AnalysisResult("local_tamper", False, 0.5, details)
    background = background_level(maps.score, valid)
    failing, spots = split_regions(regions, background)
    ok = not failing
    if failing:
        share = sum(r.area_share for r in failing)
        kinds = sorted({r.kind for r in failing})
        explanation = (
            f"{len(failing)} area(s) covering {100 * share:.2f} % of the picture were changed "
            f"locally ({', '.join(kinds)}), which global edits cannot do."
        )
        conf = float(np.clip(0.75 + 0.1 * max(r.score for r in failing) + 20 * share, 0.75, 0.99))
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
        "seed_score": SEED_SCORE,
        "grow_score": GROW_SCORE,
        "fail_area_share": FAIL_AREA,
        "fail_mean_score": fail_score(background),
        "fail_over_background": FAIL_OVER_BACKGROUND,
        "broad_area_share": BROAD_AREA,
        "broad_mean_score": max(BROAD_MEAN_SCORE, BROAD_OVER_BACKGROUND * background),
        "report_area_share": REPORT_AREA,
        "explanation": explanation,
    }
    return AnalysisResult("local_tamper", ok, conf, details)
