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


def status_code_coverage(data: dict) -> tuple[set[str], set[str]]:
    """Documented (operationId, status) pairs, and those reached by schemathesis or the matrix."""
    codes = data.get("documented_status_codes_reached_by_schemathesis", {})
    documented = set(codes.get("documented_pairs", []))
    reached = set(codes.get("reached_pairs", []))
    for op, row in data.get("authorisation_matrix", {}).get("grid", {}).items():
        reached |= {f"{op} {status}" for status in row.values()}
    for op, status in data.get("malformed_ids", {}).get("grid", {}).items():
        reached.add(f"{op} {status}")
    return documented, reached & documented


if __name__ == "__main__":
    documented, reached = status_code_coverage(json.loads(FIGURES.read_text()))
    print(f"documented status codes reached: {len(reached)} of {len(documented)}")
    for pair in sorted(documented - reached):
        print("  not reached:", pair)
