from __future__ import annotations

import numpy as np

from .report import AnalysisResult

# Failing analyses are independent lines of evidence: they compound. A pass is only as sure as
# its weakest check, and no pass is certain while each test has known blind spots.
MAX_PASS_CONFIDENCE = 0.93
MAX_FAIL_CONFIDENCE = 0.99


def verdict(analyses: list[AnalysisResult]) -> tuple[bool, float]:
    failing = [a.confidence_score for a in analyses if not a.result]
    if failing:
        miss = float(np.prod([1.0 - c for c in failing]))
        return False, float(min(MAX_FAIL_CONFIDENCE, 1.0 - miss))
    passing = [a.confidence_score for a in analyses]
    weakest = min(passing) if passing else 0.5
    mean = float(np.mean(passing)) if passing else 0.5
    return True, float(min(MAX_PASS_CONFIDENCE, 0.5 * (weakest + mean)))


def integrity(analyses: list[AnalysisResult]) -> float:
    """0..1: how sure we are the RAW is genuine sensor data (raw_integrity + sensor_pattern)."""
    parts = [
        a.confidence_score if a.result else 1.0 - a.confidence_score
        for a in analyses
        if a.verificator in ("raw_integrity", "sensor_pattern")
    ]
    return float(min(parts)) if parts else 0.0
