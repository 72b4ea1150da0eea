"""Measured figures, gathered by the tests into var/reliability/figures.json.

docs/reliability.md quotes them; a test run rewrites only its own keys.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIGURES = Path(os.environ.get("RELIABILITY_FIGURES", REPO / "var" / "reliability" / "figures.json"))


def record(section: str, **values: object) -> None:
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    data[section] = values
    data["_machine"] = f"{platform.node()} {os.cpu_count()} cores {platform.machine()}"
    FIGURES.write_text(json.dumps(data, indent=2, sort_keys=True, default=str))
    print(f"\n[reliability] {section}: {json.dumps(values, default=str)}")
