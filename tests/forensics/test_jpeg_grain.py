"""Same capture judged in the JPEG's own coefficients (jpeg_grain.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from tests.factories.dng import develop_jpeg, render_scene, write_bayer_dng
from verifications.forensics import analyse
from verifications.forensics.jpeg_grain import grid_offset

SIZE = (768, 512)


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two ISO-200 exposures of one finely textured scene: the case the older grain test
    (at the analysis size, JPEG error as its floor) could not tell apart."""
    d = tmp_path_factory.mktemp("frames")
    scene = render_scene("chelsea", SIZE, detail=0.05)
    out: dict[str, Path] = {}
    for name, seed in (("a", 11), ("b", 12)):
        raw = write_bayer_dng(d / f"{name}.dng", scene, seed=seed, iso=200)
        out[f"raw_{name}"] = raw
        out[f"jpeg_{name}"] = develop_jpeg(raw, d / f"{name}.jpg", quality=90)
    return out


def _coefficients(raw: Path, jpeg: Path):  # type: ignore[no-untyped-def]
    report = analyse(raw, jpeg)
    result = next(a for a in report.analyses if a.verificator == "rendition_similarity")
    return result, result.details["same_capture_coefficients"]


def _rotated_copy(src: Path, dst: Path, *, sharpen: bool = False) -> Path:
    """Store the pixels turned 90 deg counter-clockwise with EXIF orientation 6, as cameras
    do for portrait shots: the displayed picture is unchanged, the JPEG grid is not."""
    im = Image.open(src)
    if sharpen:
        im = im.filter(ImageFilter.UnsharpMask(radius=1.5, percent=80, threshold=0))
    exif = im.getexif()
    exif[0x0112] = 6
    im.transpose(Image.Transpose.ROTATE_90).save(dst, quality=92, exif=exif)
    return dst


def test_another_exposure_misses_the_jpeg_intervals(frames: dict[str, Path]) -> None:
    result, co = _coefficients(frames["raw_a"], frames["jpeg_b"])
    assert co["conclusive"] and co["different_exposure"]
    assert co["flat_miss_levels"] >= co["min_flat_miss"]
    assert co["flat_miss_relative"] >= co["min_flat_over_texture"] * co["textured_miss_relative"]
    assert co["flat_grain_shared"] < co["max_shared_other_exposure"]  # only texture shared
    assert result.result is False and result.details["other_exposure"] is True
    assert "another exposure" in result.details["explanation"]


def test_the_same_exposure_lands_inside_its_intervals(frames: dict[str, Path]) -> None:
    result, co = _coefficients(frames["raw_a"], frames["jpeg_a"])
    assert co["conclusive"] and not co["different_exposure"]
    assert co["flat_miss_levels"] < 0.5
    assert result.result is True


def test_exif_rotated_storage_is_followed(frames: dict[str, Path], tmp_path: Path) -> None:
    same = _rotated_copy(frames["jpeg_a"], tmp_path / "a_rot.jpg")
    other = _rotated_copy(frames["jpeg_b"], tmp_path / "b_rot.jpg")
    _, co_same = _coefficients(frames["raw_a"], same)
    _, co_other = _coefficients(frames["raw_a"], other)
    assert co_same["conclusive"] and not co_same["different_exposure"]
    assert co_other["conclusive"] and co_other["different_exposure"]


def test_strong_sharpening_of_the_same_exposure_is_never_called_another(
    frames: dict[str, Path], tmp_path: Path
) -> None:
    sharp = _rotated_copy(frames["jpeg_a"], tmp_path / "a_sharp.jpg", sharpen=True)
    result, co = _coefficients(frames["raw_a"], sharp)
    assert not co["different_exposure"]
    assert co["grain_ratio"] > co["grain_ratio_max"]  # USM 1.5 px / 80 %: beyond the 7x7 fit
    assert "sharpened" in co["inconclusive_reason"]
    assert result.result is True


def test_a_resampled_image_is_left_to_the_other_grain_test(
    frames: dict[str, Path], tmp_path: Path
) -> None:
    small = tmp_path / "small.jpg"
    im = Image.open(frames["jpeg_b"])
    im.resize((im.width * 4 // 5, im.height * 4 // 5), Image.Resampling.LANCZOS).save(small)
    _, co = _coefficients(frames["raw_a"], small)
    assert not co["conclusive"]
    assert "pixel grid" in co["inconclusive_reason"]


def test_grid_offset_accepts_only_whole_pixel_crops() -> None:
    eye = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    assert grid_offset(eye, 1.0, False, 0.0) == (0, 0)
    crop = eye.copy()
    crop[:, 2] = (-12.1, -7.95)
    assert grid_offset(crop, 1.0, False, 0.0) == (-12, -8)
    # The analysis frame is the image at half size: the matrix is scaled with it.
    assert grid_offset(crop * 0.5, 0.5, False, 0.0) == (-12, -8)
    assert grid_offset(eye * 1.01, 1.0, False, 0.0) is None  # resampled
    half_pixel = eye.copy()
    half_pixel[0, 2] = 3.5
    assert grid_offset(half_pixel, 1.0, False, 0.0) is None
    assert grid_offset(eye, 1.0, True, 0.0) is None  # mirrored
    assert grid_offset(eye, 1.0, False, 0.02) is None  # lens-corrected


def test_local_tone_work_on_the_same_exposure_is_rebuilt(
    frames: dict[str, Path], tmp_path: Path
) -> None:
    """A shadows lift that fades across the frame (a local, smooth tone edit)."""
    arr = np.asarray(Image.open(frames["jpeg_a"]), dtype=np.float32) / 255.0
    ramp = np.linspace(0.0, 1.0, arr.shape[1], dtype=np.float32)[None, :, None]
    lifted = arr ** (1.0 - 0.35 * ramp)  # gamma 1 on the left, 0.65 on the right
    out = tmp_path / "lifted.jpg"
    Image.fromarray((np.clip(lifted, 0, 1) * 255 + 0.5).astype(np.uint8)).save(out, quality=92)
    result, co = _coefficients(frames["raw_a"], out)
    assert co["conclusive"] and not co["different_exposure"]
    assert co["flat_miss_levels"] < co["min_flat_miss"]
    assert result.result is True


@pytest.mark.parametrize("algorithm", ["VNG", "PPG", "DCB"])
def test_another_demosaic_of_the_same_exposure_is_not_another_exposure(
    frames: dict[str, Path], tmp_path: Path, algorithm: str
) -> None:
    import rawpy

    with rawpy.imread(str(frames["raw_a"])) as raw:
        rgb = raw.postprocess(
            use_camera_wb=True, demosaic_algorithm=rawpy.DemosaicAlgorithm[algorithm]
        )
    out = tmp_path / f"{algorithm}.jpg"
    Image.fromarray(rgb).save(out, quality=92)
    result, co = _coefficients(frames["raw_a"], out)
    assert not co["different_exposure"]
    assert result.result is True


def test_black_and_white_of_each_frame(frames: dict[str, Path], tmp_path: Path) -> None:
    """A grey JPEG is one channel mix of the developed RAW: rebuilt for the same frame,
    missed for the other (and never a crash on a one-component JPEG)."""
    import rawpy

    verdicts = {}
    for name in ("a", "b"):
        with rawpy.imread(str(frames[f"raw_{name}"])) as raw:
            rgb = raw.postprocess(use_camera_wb=True)
        grey = tmp_path / f"grey_{name}.jpg"
        Image.fromarray(rgb).convert("L").save(grey, quality=92)
        _, co = _coefficients(frames["raw_a"], grey)
        assert co["conclusive"], co.get("inconclusive_reason")
        verdicts[name] = co["different_exposure"]
    assert verdicts == {"a": False, "b": True}


def test_a_half_size_development_is_never_compared(frames: dict[str, Path]) -> None:
    """Large frames are developed at half size; a JPEG exported at exactly half size sits on
    that grid, but binned sites are not any exported picture's grain."""
    from types import SimpleNamespace

    from verifications.forensics.decode import load_image
    from verifications.forensics.jpeg_grain import same_capture_on_grid

    img = load_image(frames["jpeg_b"])
    h, w = img.rgb.shape[:2]
    reg = SimpleNamespace(matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), flip=False, k1=0.0)
    rendition = np.full((h, w, 3), 0.2, np.float32)
    for scale, conclusive in ((1.0, True), (2.0, False)):
        raw = SimpleNamespace(raw_type="flat", rendition_scale=scale, rendition=rendition)
        co = same_capture_on_grid(raw, img, reg, 1.0)  # type: ignore[arg-type]
        assert ("pixel grid" in co.get("inconclusive_reason", "")) is not conclusive
