from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories.dng import make_pair
from verifications.forensics import VERIFICATORS, Report, analyse
from verifications.forensics.__main__ import main

TOP_LEVEL_FIELDS = {
    "result",
    "result_confidence",
    "analyses",
    "raw_metadata",
    "image_metadata",
    "rendition_info",
    "rendition_corrected_info",
    "regions",
    "timings",
    "sequence_number",
    "capture_gps_latitude",
    "capture_gps_longitude",
    "device_fingerprint_id",
    "integrity_score",
    "images",
}
RAW_METADATA_FIELDS = {
    "make",
    "model",
    "body_serial",
    "capture_time",
    "iso",
    "exposure_time",
    "width",
    "height",
    "bit_depth",
    "black_level",
    "white_level",
    "cfa_pattern",
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_pair(
        tmp_path_factory.mktemp("pair"),
        size=(768, 512),
        seed=3,
        gps=(48.8584, 2.2945),
        image_number=4711,
    )


def test_cli_json_has_every_field_the_spec_names(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([str(pair[0]), str(pair[1]), "--json", "--out", str(tmp_path)])
    d = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and code == (0 if d["result"] else 1)
    assert TOP_LEVEL_FIELDS <= set(d)
    assert RAW_METADATA_FIELDS <= set(d["raw_metadata"])
    for a in d["analyses"]:
        assert {"verificator", "result", "confidence_score", "details"} <= set(a)
        assert a["details"]["explanation"]
    assert set(d["images"]) >= {"thumbnail"}
    assert all(Path(p).is_file() for p in d["images"].values())


@pytest.fixture(scope="module")
def report(pair: tuple[Path, Path]) -> Report:
    return analyse(*pair)


def test_metadata_carries_gps_serial_and_sequence(report: Report) -> None:
    assert report.capture_gps_latitude == pytest.approx(48.8584, abs=1e-3)
    assert report.capture_gps_longitude == pytest.approx(2.2945, abs=1e-3)
    assert report.sequence_number == 4711
    assert report.device_fingerprint_id and len(report.device_fingerprint_id) == 20
    assert report.raw_metadata["cfa_pattern"] == "RGGB"
    assert report.images == {}


def test_verdict_is_deterministic(pair: tuple[Path, Path], report: Report) -> None:
    a, b = report.to_dict(), analyse(*pair).to_dict()
    a.pop("timings"), b.pop("timings")
    assert a == b


def test_every_verificator_reports_once_with_its_stable_id(report: Report) -> None:
    ids = [a.verificator for a in report.analyses]
    assert sorted(ids) == sorted(VERIFICATORS)


def test_honest_camera_rendering_is_authentic(report: Report) -> None:
    failing = [a.details["explanation"] for a in report.analyses if not a.result]
    assert report.result is True, failing
    assert report.regions == [] or all(r.area_share < 0.001 for r in report.regions)


def test_contradicting_camera_serial_fails_exif_consistency(tmp_path: Path) -> None:
    dng_a, _ = make_pair(tmp_path / "a", size=(512, 384), serial="AAA111")
    _, jpeg_b = make_pair(tmp_path / "b", size=(512, 384), serial="BBB222")
    report = analyse(dng_a, jpeg_b)
    exif = report.analysis("exif_consistency")
    assert exif is not None and not exif.result
    assert "body_serial" in exif.details["explanation"]
    assert report.result is False
