"""The synthetic DNG factory produces files LibRaw reads like a real Bayer camera's."""

from __future__ import annotations

import time
from pathlib import Path

import exifread
import numpy as np
import pytest
import rawpy
from PIL import Image

from tests.factories.dng import (
    develop_jpeg,
    linear_to_srgb,
    make_pair,
    render_scene,
    write_bayer_dng,
)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_pair(tmp_path_factory.mktemp("pair"), seed=3, serial="SN-42", image_number=17)


def _ramp_scene(w: int = 256, h: int = 64) -> np.ndarray:
    """Flat grey columns from dark to bright: no texture, so local variance = noise."""
    levels = np.repeat(np.linspace(0.02, 0.95, 8, dtype=np.float32), w // 8)
    return np.repeat(np.repeat(levels[None, :, None], h, 0), 3, 2)


def test_rawpy_decodes_the_dng_as_an_rggb_bayer_mosaic(pair: tuple[Path, Path]) -> None:
    dng, _ = pair
    with rawpy.imread(str(dng)) as r:
        assert r.raw_type == rawpy.RawType.Flat
        assert r.color_desc == b"RGBG"
        assert r.raw_pattern.tolist() == [[0, 1], [3, 2]]  # R G / G2 B
        assert r.black_level_per_channel == [512] * 4
        assert r.white_level == 2**14 - 1
        assert (r.sizes.raw_width, r.sizes.raw_height) == (768, 512)
        rgb = r.postprocess(use_camera_wb=True)
    assert rgb.shape == (512, 768, 3)


def test_developed_rendition_matches_the_scene(pair: tuple[Path, Path]) -> None:
    dng, jpeg = pair
    scene = (linear_to_srgb(render_scene("astronaut", (768, 512))) * 255).astype(np.float32)
    developed = np.asarray(Image.open(jpeg), np.float32)
    # LibRaw's default auto-brightening scales the image, so compare after a gain fit
    gain = float((developed * scene).sum() / (developed**2).sum())
    assert np.corrcoef(scene.ravel(), developed.ravel())[0, 1] > 0.95
    assert 0.7 < gain < 1.4


def test_camera_white_balance_renders_grey_neutral(tmp_path: Path) -> None:
    dng = write_bayer_dng(tmp_path / "grey.dng", np.full((64, 64, 3), 0.4, np.float32))
    with rawpy.imread(str(dng)) as r:
        mean = r.postprocess(use_camera_wb=True).reshape(-1, 3).mean(0)
    assert np.ptp(mean) < 0.03 * mean.mean()


def test_noise_variance_grows_linearly_with_signal(tmp_path: Path) -> None:
    dng = write_bayer_dng(tmp_path / "ramp.dng", _ramp_scene())
    with rawpy.imread(str(dng)) as r:
        green = r.raw_image_visible[0::2, 1::2].astype(np.float64) - 512
    cols = np.split(green, 8, axis=1)
    means = np.array([c.mean() for c in cols])
    variances = np.array([c.var() for c in cols])
    assert np.all(np.diff(variances) > 0)
    slope, intercept = np.polyfit(means, variances, 1)
    residual = variances - (slope * means + intercept)
    assert slope > 0.3  # ~ DN per electron (gain 0.79 at ISO 200) plus PRNU
    assert np.abs(residual).max() < 0.1 * variances.max()


def test_noise_can_be_switched_off_for_fake_raws(tmp_path: Path) -> None:
    dng = write_bayer_dng(tmp_path / "clean.dng", _ramp_scene(), noise=False)
    with rawpy.imread(str(dng)) as r:
        green = r.raw_image_visible[0::2, 1::2].astype(np.float64)
    assert max(c.var() for c in np.split(green, 8, axis=1)) < 1.0


def test_jpeg_exif_carries_the_raws_camera_identity(pair: tuple[Path, Path]) -> None:
    _, jpeg = pair
    with open(jpeg, "rb") as f:
        tags = exifread.process_file(f, details=False)
    assert str(tags["Image Make"]) == "Lumethic"
    assert str(tags["Image Model"]) == "SynthCam 1"
    assert str(tags["EXIF BodySerialNumber"]) == "SN-42"
    assert str(tags["EXIF DateTimeOriginal"]) == "2024:06:01 12:00:00"
    assert str(tags["EXIF ISOSpeedRatings"]) == "200"
    assert str(tags["EXIF ExposureTime"]) == "1/250"
    assert str(tags["EXIF LensModel"]) == "SynthLens 35mm"
    assert str(tags["EXIF ImageNumber"]) == "17"


def test_raw_exif_is_what_libraw_reports(tmp_path: Path) -> None:
    scene = render_scene("coffee", (128, 96))
    dng = write_bayer_dng(tmp_path / "x.dng", scene, iso=1600, fnumber=2.8, gps=(48.85, 2.35))
    with rawpy.imread(str(dng)) as r:
        assert r.other.iso_speed == 1600
        assert r.other.aperture == pytest.approx(2.8, abs=0.01)
        assert r.other.shutter_speed == pytest.approx(1 / 250, rel=1e-3)
    with open(dng, "rb") as f:
        tags = exifread.process_file(f, details=False)
    assert str(tags["GPS GPSLatitudeRef"]) == "N"


def test_same_seeds_give_identical_files_and_new_seeds_new_noise(tmp_path: Path) -> None:
    scene = render_scene("chelsea", (128, 96))
    a = write_bayer_dng(tmp_path / "a.dng", scene, seed=1).read_bytes()
    b = write_bayer_dng(tmp_path / "b.dng", scene, seed=1).read_bytes()
    c = write_bayer_dng(tmp_path / "c.dng", scene, seed=2).read_bytes()
    assert a == b
    assert a != c
    assert np.array_equal(render_scene("rocket", (64, 48), 5), render_scene("rocket", (64, 48), 5))


def test_prnu_is_a_fixed_pattern_of_the_sensor(tmp_path: Path) -> None:
    flat = np.full((128, 128, 3), 0.8, np.float32)

    def residual(name: str, seed: int, sensor_seed: int) -> np.ndarray:
        dng = write_bayer_dng(tmp_path / name, flat, seed=seed, sensor_seed=sensor_seed)
        with rawpy.imread(str(dng)) as r:
            g = r.raw_image_visible[0::2, 1::2].astype(np.float64)
        return (g - g.mean()).ravel()

    same = np.corrcoef(residual("a.dng", 1, 7), residual("b.dng", 2, 7))[0, 1]
    other = np.corrcoef(residual("c.dng", 1, 7), residual("d.dng", 2, 8))[0, 1]
    assert same > 0.05 > abs(other)


def test_preview_is_embedded_like_a_camera_dng(tmp_path: Path) -> None:
    dng = write_bayer_dng(tmp_path / "p.dng", render_scene("coffee", (256, 192)), preview=True)
    with rawpy.imread(str(dng)) as r:
        assert r.sizes.raw_width == 256
        thumb = r.extract_thumb()
    assert thumb.format == rawpy.ThumbFormat.JPEG  # camera-style (imagecodecs is a dev dep)


def test_lossless_jpeg_tiles_decode_to_the_same_mosaic(tmp_path: Path) -> None:
    scene = render_scene("coffee", (300, 200))  # not a multiple of the 256 px tile
    plain = write_bayer_dng(tmp_path / "u.dng", scene, seed=4)
    packed = write_bayer_dng(tmp_path / "l.dng", scene, seed=4, lossless=True)
    with rawpy.imread(str(plain)) as a, rawpy.imread(str(packed)) as b:
        assert np.array_equal(a.raw_image_visible, b.raw_image_visible)


def test_photo_files_are_usable_as_scenes(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), np.uint8)).save(src)
    scene = render_scene(str(src), (64, 48))
    assert scene.shape == (48, 64, 3) and scene.dtype == np.float32
    assert 0.0 <= scene.min() and scene.max() <= 1.0


def test_develop_jpeg_half_size_without_exif(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = develop_jpeg(pair[0], tmp_path / "h.jpg", half_size=True, copy_exif=False, quality=70)
    with Image.open(out) as im:
        assert im.size == (384, 256)
        assert not im.getexif()


def test_a_small_pair_is_fast(tmp_path: Path) -> None:
    make_pair(tmp_path / "warm", size=(64, 64))
    t0 = time.process_time()  # CPU time: other jobs on a shared CI box do not count
    make_pair(tmp_path, size=(768, 512), source="chelsea")
    assert time.process_time() - t0 < 1.0


def test_scene_detail_adds_fine_texture_that_belongs_to_the_scene() -> None:
    plain = render_scene("chelsea", (256, 192))
    textured = render_scene("chelsea", (256, 192), detail=0.05)
    again = render_scene("chelsea", (256, 192), detail=0.05)
    assert np.array_equal(textured, again)

    lit = (plain > 0.05) & (textured < 1.0)  # clipping hides the texture
    contrast = float((textured[lit] / plain[lit] - 1).std())
    assert 0.03 < contrast < 0.07
    assert abs(float(textured.mean()) - float(plain.mean())) < 0.01


def test_twelve_bit_sensors_and_capture_time_are_honoured(tmp_path: Path) -> None:
    scene = render_scene("rocket", (128, 96))
    dng = write_bayer_dng(
        tmp_path / "12.dng", scene, bits=12, black=256, datetime="2025:03:04 05:06:07"
    )
    with rawpy.imread(str(dng)) as r:
        assert r.white_level == 4095
        assert r.black_level_per_channel == [256] * 4
        assert r.raw_image_visible.max() <= 4095
    jpeg = develop_jpeg(dng, tmp_path / "12.jpg")
    with open(jpeg, "rb") as f:
        tags = exifread.process_file(f, details=False)
    assert str(tags["EXIF DateTimeOriginal"]) == "2025:03:04 05:06:07"


def test_optical_black_borders_are_masked_dark_pixels(tmp_path: Path) -> None:
    scene = render_scene("coffee", (200, 120))
    plain = write_bayer_dng(tmp_path / "p.dng", scene, seed=5)
    masked = write_bayer_dng(tmp_path / "m.dng", scene, seed=5, optical_black=16)
    with rawpy.imread(str(plain)) as a, rawpy.imread(str(masked)) as b:
        assert b.raw_image.shape == (136, 216)
        assert (b.sizes.top_margin, b.sizes.left_margin) == (16, 16)
        assert np.array_equal(a.raw_image_visible, b.raw_image_visible)
        assert b.raw_pattern.tolist() == [[0, 1], [3, 2]]
        border = b.raw_image[:16].astype(np.float64)
    assert abs(border.mean() - 512) < 1.0 and 1.0 < border.std() < 5.0
