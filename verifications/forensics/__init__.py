"""Forensic engine: is a JPEG an honest, globally-edited rendition of a camera RAW?

Pure Python on files and numpy arrays; no Django. Entry point: `analyse(raw, image)`.
"""

from __future__ import annotations

from .errors import UnreadableInput
from .pipeline import analyse
from .report import VERIFICATORS, AnalysisResult, Region, Report

__all__ = ["VERIFICATORS", "AnalysisResult", "Region", "Report", "UnreadableInput", "analyse"]
