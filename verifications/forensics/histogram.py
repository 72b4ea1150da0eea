from __future__ import annotations

import numpy as np

from .report import AnalysisResult

# Largest CDF gap (Kolmogorov-Smirnov) between the image and the recipe's prediction, per channel.
KS_MAX = 0.2
LEVEL_SLACK = 4
# Share of empty 8-bit levels inside the occupied range, beyond what the prediction shows.
GAP_EXCESS_MAX = 0.35
# Clipped on both sides: a pushed, blown highlight. How far below white the converter's
# shoulder and the smooth gain field leave it says nothing about the photographer's edit.
CLIP_IMAGE_LEVEL = 251
CLIP_PRED_LEVEL = 240


def _gaps(v: np.ndarray) -> float:
    hist = np.bincount(v, minlength=256)
    nz = np.nonzero(hist)[0]
    if len(nz) < 2:
        return 1.0
    inner = hist[nz[0] : nz[-1] + 1]
    return float((inner == 0).mean())


def analyse_histogram(
    pred: np.ndarray | None, target: np.ndarray, valid: np.ndarray | None
) -> AnalysisResult:
    if pred is None or valid is None:
        return AnalysisResult(
            "histogram",
            False,
            0.5,
            {
                "explanation": "Tones could not be compared because the image was not matched to the RAW."
            },
        )
    p = (np.clip(pred[valid], 0, 1) * 255 + 0.5).astype(np.int64)
    t = (np.clip(target[valid], 0, 1) * 255 + 0.5).astype(np.int64)
    ks = []
    gap_excess = []
    for c in range(3):
        keep = ~((t[:, c] >= CLIP_IMAGE_LEVEL) & (p[:, c] >= CLIP_PRED_LEVEL))
        pc, tc = p[keep, c], t[keep, c]
        cp = np.cumsum(np.bincount(pc, minlength=256)) / max(1, len(pc))
        ct = np.cumsum(np.bincount(tc, minlength=256)) / max(1, len(tc))
        # Lévy-style distance: a few levels of slack so rounding and clipping at 254 vs 255
        # are not mistaken for a changed distribution.
        sh = LEVEL_SLACK
        d1 = ct[:-sh] - cp[sh:]
        d2 = cp[:-sh] - ct[sh:]
        ks.append(float(max(0.0, d1.max(), d2.max())))
        gap_excess.append(_gaps(tc) - _gaps(pc))
    ks_max, gap_max = max(ks), max(gap_excess)
    ok = ks_max <= KS_MAX and gap_max <= GAP_EXCESS_MAX
    if ok:
        explanation = "The image's tones and colours follow from the RAW's by global curves."
    elif gap_max > GAP_EXCESS_MAX:
        explanation = "The image's tones are posterised beyond what JPEG compression does."
    else:
        explanation = (
            "The image's tone or colour distribution cannot come from the RAW by global curves."
        )
    conf = 0.85 if ok else float(np.clip(0.7 + (ks_max - KS_MAX) * 2, 0.7, 0.95))
    details = {
        "ks_per_channel": ks,
        "ks_max": KS_MAX,
        "gap_excess_per_channel": gap_excess,
        "gap_excess_max": GAP_EXCESS_MAX,
        "explanation": explanation,
    }
    return AnalysisResult("histogram", ok, conf, details)
