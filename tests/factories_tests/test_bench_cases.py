"""The bench's case generator: edits stay valid images, forgeries carry honest masks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rawpy
from PIL import Image

import bench.cases
import bench.seeds
from bench import edits, manipulations
from bench.accuracy import region_iou, verdict
from bench.cases import KINDS, build_case, plan
from bench.seeds import Body, Seed, split_of

BODY = Body("SynthCam T", (256, 170), 3, "T-1")


@pytest.fixture()
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Seed]:
    monkeypatch.setattr(bench.seeds, "VAR", tmp_path)
    monkeypatch.setattr(bench.cases, "CASES_DIR", tmp_path / "cases")
    out = []
    for src in ("chelsea", "coffee"):
        s = Seed(
            f"syn:{src}", "synthetic", tmp_path / f"{src}.dng", split_of(src), body=BODY, source=src
        )
        s.write_frame(s.raw_path, noise_seed=1)
        out.append(s)
    return out


@pytest.mark.parametrize("name", sorted(edits.AUTHENTIC_KINDS))
def test_every_authentic_edit_returns_a_valid_display_image(name: str, seeds: list[Seed]) -> None:
    rng = np.random.default_rng(0)
    r = edits.AUTHENTIC_KINDS[name](edits.start(seeds[0], rng), seeds[0], rng)
    assert r.img.ndim == 3 and r.img.shape[2] == 3 and r.img.dtype == np.float32
    assert 0.0 <= r.img.min() and r.img.max() <= 1.0
    assert min(r.img.shape[:2]) >= 16
    assert r.dust_share <= 0.0005


@pytest.mark.parametrize("name", sorted(manipulations.LOCAL_KINDS))
def test_local_forgeries_change_the_pixels_under_their_mask(name: str, seeds: list[Seed]) -> None:
    rng = np.random.default_rng(1)
    before = edits.start(seeds[0], rng)
    after, mask = manipulations.LOCAL_KINDS[name](before, lambda g: seeds[1].default_display(), rng)
    assert mask.shape == after.img.shape[:2] and mask.any()
    if name == "expansion":  # the frame grew: the RAW's part is untouched, the rest is new
        ys, xs = np.nonzero(~mask)
        kept = after.img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        assert np.array_equal(kept, before.img)
        assert 0.04 < mask.mean() < 0.5
        return
    change = np.abs(after.img - before.img).max(-1)
    assert change[mask].mean() > 0.02
    assert change[~mask].mean() < 0.01  # nothing outside the mask (bar the feathered edge)
    lo = 0.001 if name == "small_splice" else 0.003
    assert lo < mask.mean() < 0.2


def test_pair_forgeries_write_raws_libraw_reads(seeds: list[Seed]) -> None:
    for kind in ("fake_raw_clean", "fake_raw_noisy", "recapture", "recapture_print", "burst_frame"):
        case = build_case(kind, 0, seeds[0], seeds)
        with rawpy.imread(case.raw_path) as r:
            assert r.raw_pattern.tolist() == [[0, 1], [3, 2]]
        assert Image.open(case.jpeg_path).size[0] > 0
        assert case.expect_authentic is False


def test_cases_are_cached_and_rebuilt_identically(seeds: list[Seed]) -> None:
    first = build_case("splice", 0, seeds[0], seeds)
    jpeg = Path(first.jpeg_path).read_bytes()
    assert build_case("splice", 0, seeds[0], seeds) == first
    Path(first.jpeg_path).parent.joinpath("case.json").unlink()
    assert build_case("splice", 0, seeds[0], seeds).area_share == first.area_share
    assert Path(first.jpeg_path).read_bytes() == jpeg


def test_burst_frames_are_only_planned_on_synthetic_seeds(seeds: list[Seed]) -> None:
    real = Seed("real:x", "real", seeds[0].raw_path, "tuning")
    planned = plan([real, *seeds], ["burst_frame", "original"], 4)
    assert all(s.origin == "synthetic" for k, _, s in planned if k == "burst_frame")
    assert {KINDS[k].category for k, _, _ in planned} == {"other_raw", "authentic"}


def test_region_iou_rasterises_boxes_against_the_mask(tmp_path: Path) -> None:
    mask = np.zeros((100, 100), np.uint8)
    mask[10:30, 20:60] = 255
    Image.fromarray(mask).save(tmp_path / "m.png")
    assert region_iou(str(tmp_path / "m.png"), [{"box": [20, 10, 60, 30]}]) == 1.0
    assert region_iou(str(tmp_path / "m.png"), [{"box": [20, 10, 40, 30]}]) == 0.5
    assert region_iou(str(tmp_path / "m.png"), []) == 0.0


def test_region_iou_boxes_an_irregular_mask_unless_asked_for_pixels(tmp_path: Path) -> None:
    mask = np.zeros((100, 100), np.uint8)
    mask[10:30, 20:40] = 255
    mask[10:20, 40:60] = 255  # an L shape: its bounding box is 20x40, it fills 3/4
    Image.fromarray(mask).save(tmp_path / "m.png")
    box = [{"box": [20, 10, 60, 30]}]
    assert region_iou(str(tmp_path / "m.png"), box) == 1.0
    assert region_iou(str(tmp_path / "m.png"), box, boxed=False) == 0.75


def test_verdicts_are_read_from_booleans_and_words() -> None:
    assert verdict(True) == "authentic" and verdict(False) == "not_authentic"
    assert verdict("Authentic") == "authentic" and verdict("not_authentic") == "not_authentic"


def _row(kind: str, split: str, result: str, conf: float, **kw: object) -> dict[str, object]:
    spec = KINDS[kind]
    passed = result == "authentic"
    return {
        "case_id": f"{kind}-000",
        "kind": kind,
        "category": spec.category,
        "split": split,
        "expect_authentic": spec.expect_authentic,
        "seed": "s",
        "raw_path": "r",
        "jpeg_path": "j",
        "area_share": 0.02,
        "result": result,
        "confidence": conf,
        "regions": [],
        "seconds": 1.0,
        "passed": passed,
        "correct": result != "error" and passed == spec.expect_authentic,
        **kw,
    }


def test_scoring_tables_count_verdicts_errors_and_iou() -> None:
    from bench.accuracy import calibration_lines, kind_table, target_lines, verificator_lines

    rows = [
        _row("original", "tuning", "authentic", 0.9),
        _row("original", "tuning", "not_authentic", 0.95, failed_by=["local_tamper"]),
        _row("splice", "tuning", "not_authentic", 0.99, iou=0.7, failed_by=["local_tamper"]),
        _row("splice", "heldout", "error", 0.0, error="boom"),
    ]
    table = "\n".join(kind_table(rows, "tuning"))
    assert "| original | authentic | 2 | 50 % | 0 |" in table
    assert "| splice | local | 1 | 100 % | 0 | 0.99 | 100 % | 0.70 |" in table
    targets = "\n".join(target_lines(rows, "tuning"))
    assert "| authentic cases wrongly rejected | 50 % | 2 |" in targets
    assert "| local manipulations ≥ 1 % of frame, detected | 100 % | 1 |" in targets
    assert "| splice | local | 1 | 0 % | 1 |" in "\n".join(kind_table(rows, "heldout"))
    assert "[0.95,1.00): n=2 acc=50 %" in calibration_lines(rows, "tuning")[0]
    assert "| local_tamper | 50 % | 100 % |" in "\n".join(verificator_lines(rows, "tuning"))
