from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rawpy
from PIL import Image

from tests.factories.dng import develop_jpeg, render_scene, write_bayer_dng
from verifications.forensics import analyse

CORPUS_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "raw"


def _own_rendering(raw: Path, tmp_path: Path) -> Path:
    with rawpy.imread(str(raw)) as r:
        rgb = r.postprocess(use_camera_wb=True)
    out = tmp_path / (raw.stem + ".jpg")
    Image.fromarray(rgb).save(out, quality=92)
    return out


@pytest.mark.parametrize("name", ["tdng_colorchart.dng", "rawpy_RAW_KODAK_DC50_é.KDC"])
def test_real_bayer_raw_with_its_own_rendering_is_authentic(name: str, tmp_path: Path) -> None:
    raw = CORPUS_RAW / name
    report = analyse(raw, _own_rendering(raw, tmp_path))
    assert report.result is True, [
        a.details["explanation"] for a in report.analyses if not a.result
    ]
    assert 0.5 <= report.result_confidence <= 1.0
    assert report.integrity_score > 0.5


@pytest.mark.parametrize("name", ["pp_canon_eos_6d.dng", "rskia_sample_1mp.dng"])
def test_linear_dng_is_refused_because_it_holds_no_mosaic(name: str, tmp_path: Path) -> None:
    raw = CORPUS_RAW / name
    report = analyse(raw, _own_rendering(raw, tmp_path))
    assert report.result is False
    sensor = report.analysis("sensor_pattern")
    assert sensor is not None and not sensor.result
    assert "mosaic" in sensor.details["explanation"]
    assert report.integrity_score < 0.5


def test_photo_of_a_screen_is_flagged_as_recapture(tmp_path: Path) -> None:
    scene = render_scene("astronaut", (768, 512), seed=0)
    h, w = scene.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # RGB-stripe subpixels at a 1.4-pixel pitch, turned 2 degrees: a screen's pixel grid.
    u = (np.cos(0.035) * xx - np.sin(0.035) * yy) / 1.4 * 3
    v = (np.sin(0.035) * xx + np.cos(0.035) * yy) / 1.4
    grid = np.stack([np.clip(np.cos(2 * np.pi * (u - c) / 3), 0, 1) for c in range(3)], -1)
    grid *= (0.6 + 0.4 * np.cos(2 * np.pi * v))[..., None]
    dng = write_bayer_dng(tmp_path / "screen.dng", np.clip(scene * grid * 2.5, 0, 1), seed=3)
    jpeg = develop_jpeg(dng, tmp_path / "screen.jpg")
    report = analyse(dng, jpeg)
    rec = report.analysis("recapture")
    assert rec is not None and not rec.result
    assert report.result is False


def test_plain_capture_is_not_flagged_as_recapture(tmp_path: Path) -> None:
    dng = write_bayer_dng(tmp_path / "plain.dng", render_scene("coffee", (768, 512), 0), seed=4)
    report = analyse(dng, develop_jpeg(dng, tmp_path / "plain.jpg"))
    rec = report.analysis("recapture")
    assert rec is not None and rec.result
    assert rec.details["peak_prominence"] < rec.details["peak_prominence_min"]


def test_a_periodic_scene_like_a_brick_wall_is_not_mistaken_for_a_screen(tmp_path: Path) -> None:
    # skimage's brick texture tiled at its natural scale: strong, regular, but coarse.
    scene = render_scene("brick", (768, 512), seed=0)
    dng = write_bayer_dng(tmp_path / "brick.dng", scene, seed=5)
    report = analyse(dng, develop_jpeg(dng, tmp_path / "brick.jpg"))
    rec = report.analysis("recapture")
    assert rec is not None and rec.result, rec.details
    assert rec.details["peak_prominence"] < rec.details["peak_prominence_min"]
