"""tests/data stays small and every file in it names its source and license."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_data_file_is_listed_in_sources_md() -> None:
    listed = (DATA / "SOURCES.md").read_text()
    files = [p.name for p in DATA.iterdir() if p.name != "SOURCES.md"]
    assert files
    for name in files:
        assert f"`{name}`" in listed, name


def test_test_data_stays_under_six_megabytes() -> None:
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 6_000_000
