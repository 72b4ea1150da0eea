from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.factories.dng import make_pair
from verifications.forensics import analyse


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_pair(tmp_path_factory.mktemp("rend"), size=(768, 512), source="astronaut", seed=5)


def _load(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0


def _save(img: np.ndarray, path: Path, quality: int = 92) -> Path:
    Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)).save(path, quality=quality)
    return path


def _verdicts(report) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {a.verificator: a.result for a in report.analyses}


def test_honest_crop_straighten_and_exposure_pass(pair: tuple[Path, Path], tmp_path: Path) -> None:
    img = Image.open(pair[1]).rotate(3.0, resample=Image.BICUBIC)
    w, h = img.size
    img = img.crop((int(0.12 * w), int(0.1 * h), int(0.9 * w), int(0.88 * h)))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    out = _save(np.clip(arr**0.8 * 1.08, 0, 1), tmp_path / "edit.jpg")
    report = analyse(pair[0], out)
    assert _verdicts(report)["rendition_similarity"] and _verdicts(report)["local_tamper"]
    info = report.rendition_info
    assert info["registered"] and abs(abs(info["rotation_degrees"]) - 3.0) < 0.3
    assert 0.45 < info["area_kept"] < 0.75
    assert "crop" in info["summary"] and "straightened" in info["summary"]
    assert report.rendition_corrected_info["summary"]


def test_quarter_turn_mirror_black_and_white_low_quality_pass(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    arr = _load(pair[1])
    grey = arr @ np.array([0.3, 0.59, 0.11], np.float32)
    out = _save(np.repeat(np.rot90(grey)[:, ::-1, None], 3, axis=2), tmp_path / "bw.jpg", 60)
    report = analyse(pair[0], out)
    v = _verdicts(report)
    assert v["rendition_similarity"] and v["local_tamper"] and v["histogram"]
    assert report.rendition_info["flip"] is True
    assert report.rendition_corrected_info["saturation"] < 0.1


def test_pasted_object_is_found_where_it_was_pasted(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    arr = _load(pair[1]).copy()
    donor = _load(make_pair(tmp_path, size=(768, 512), source="coffee", seed=1)[1])
    y0, x0, s = 300, 420, 90  # 90x90 px = 2 % of the frame
    yy, xx = np.mgrid[0:s, 0:s]
    disc = ((yy - s / 2) ** 2 + (xx - s / 2) ** 2) < (s / 2) ** 2
    patch = arr[y0 : y0 + s, x0 : x0 + s]
    patch[disc] = donor[100 : 100 + s, 200 : 200 + s][disc]
    out = _save(arr, tmp_path / "splice.jpg")
    report = analyse(pair[0], out)
    assert report.result is False
    assert not _verdicts(report)["local_tamper"]
    bx0, by0, bx1, by1 = report.regions[0].box
    inter = max(0, min(bx1, x0 + s) - max(bx0, x0)) * max(0, min(by1, y0 + s) - max(by0, y0))
    union = (bx1 - bx0) * (by1 - by0) + s * s - inter
    assert inter / union > 0.5


def test_picture_extended_beyond_the_raw_frame_is_outlined(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    arr = _load(pair[1])
    pad = 120  # px added on the right, mirrored and blurred like a generative fill
    ext = np.concatenate([arr, arr[:, -pad:][:, ::-1]], axis=1)
    ext[:, -pad:] = (
        np.asarray(
            Image.fromarray((ext[:, -pad:] * 255).astype(np.uint8))
            .resize((pad // 4, 128))
            .resize((pad, ext.shape[0])),
            np.float32,
        )
        / 255.0
    )
    report = analyse(pair[0], _save(ext, tmp_path / "wide.jpg"))
    assert report.result is False
    assert not _verdicts(report)["local_tamper"]
    x0, y0, x1, y1 = report.regions[0].box
    assert report.regions[0].kind == "added"
    assert abs(x0 - arr.shape[1]) <= 12 and x1 >= ext.shape[1] - 2 and y1 - y0 > 0.9 * ext.shape[0]


def test_image_of_another_scene_fails(pair: tuple[Path, Path], tmp_path: Path) -> None:
    _, other = make_pair(tmp_path, size=(768, 512), source="chelsea", seed=2)
    report = analyse(pair[0], other)
    assert report.result is False
    assert not _verdicts(report)["rendition_similarity"]
    assert report.rendition_info["registered"] is False


def test_derived_images_are_written(pair: tuple[Path, Path], tmp_path: Path) -> None:
    report = analyse(pair[0], pair[1], out_dir=tmp_path / "out")
    assert set(report.images) == {"thumbnail", "registered", "heatmap"}
    thumb = Image.open(report.images["thumbnail"])
    assert max(thumb.size) <= 512
    assert Image.open(report.images["registered"]).size == Image.open(report.images["heatmap"]).size
