"""sensor_pattern on small generated cases: a genuine sensor capture against RAWs
synthesised from a developed JPEG (the bench's fake RAW), with and without sensor noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.factories.dng import make_pair, srgb_to_linear, write_bayer_dng
from verifications.forensics import metadata as meta
from verifications.forensics.decode import decode_raw
from verifications.forensics.fake_raw_traces import _DCT, jpeg_dct_deficit
from verifications.forensics.report import AnalysisResult
from verifications.forensics.sensor_pattern import analyse_sensor_pattern


def _sensor_pattern(path: Path) -> AnalysisResult:
    raw = decode_raw(path)
    return analyse_sensor_pattern(raw, meta.raw_metadata(raw, meta.read_exif(raw.path)))


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sensor_pattern")
    return make_pair(folder, size=(768, 512), source="chelsea", seed=1, iso=400, quality=92)


def _fake_from_jpeg(genuine: tuple[Path, Path], *, noise: bool) -> Path:
    """What a forger does: re-save the published JPEG, linearise it, write it as a mosaic."""
    dng, jpeg = genuine
    published = dng.with_name(f"published_{noise}.jpg")
    Image.open(jpeg).save(published, quality=80)
    srgb = np.asarray(Image.open(published).convert("RGB"), np.float32) / 255.0
    out = dng.with_name(f"fake_{noise}.dng")
    return write_bayer_dng(out, srgb_to_linear(srgb) * 0.85, noise=noise, seed=5, iso=400)


def test_a_genuine_noisy_sensor_capture_passes(genuine: tuple[Path, Path]) -> None:
    result = _sensor_pattern(genuine[0])
    assert result.result is True, result.details["explanation"]
    assert result.details["jpeg_grid_z_phase0"] < result.details["jpeg_grid_z_phase0_min"]


def test_a_clean_raw_made_from_a_jpeg_fails_on_its_block_grid(
    genuine: tuple[Path, Path],
) -> None:
    result = _sensor_pattern(_fake_from_jpeg(genuine, noise=False))
    assert result.result is False
    assert "8x8 block grid of a JPEG" in result.details["explanation"]
    assert "aligned with the frame's corner" in result.details["explanation"]
    assert result.details["jpeg_grid_z_phase0"] >= result.details["jpeg_grid_z_phase0_min"]


def test_a_raw_made_from_a_jpeg_with_sensor_noise_added_still_shows_the_grid(
    genuine: tuple[Path, Path],
) -> None:
    result = _sensor_pattern(_fake_from_jpeg(genuine, noise=True))
    assert result.result is False
    assert "8x8 block grid of a JPEG" in result.details["explanation"]
    # Every figure behind the verdict is reported with its threshold.
    for key in ("jpeg_grid_z_phase0", "jpeg_grid_ratio_phase0", "jpeg_grid_z_any_phase_min"):
        assert key in result.details


def _fake_from_high_quality_jpeg(genuine: tuple[Path, Path]) -> Path:
    """A careful forger: the published JPEG re-saved at quality 97, where seams fade."""
    dng, jpeg = genuine
    published = dng.with_name("published_q97.jpg")
    Image.open(jpeg).save(published, quality=97)
    srgb = np.asarray(Image.open(published).convert("RGB"), np.float32) / 255.0
    return write_bayer_dng(
        dng.with_name("fake_q97.dng"), srgb_to_linear(srgb) * 0.85, noise=False, seed=6, iso=400
    )


def test_a_genuine_capture_shows_no_dct_deficit_on_the_jpeg_grid(
    genuine: tuple[Path, Path],
) -> None:
    details = _sensor_pattern(genuine[0]).details
    assert details["jpeg_dct_deficit_z"] < details["jpeg_dct_deficit_z_min"]
    assert details["jpeg_grid_z_phase0_smooth"] < details["jpeg_grid_z_phase0_smooth_min"]
    assert details["jpeg_dct_explanation"] and details["jpeg_grid_smooth_explanation"]


def test_a_raw_made_from_a_quality_97_jpeg_fails_on_its_fine_dct_deficit(
    genuine: tuple[Path, Path],
) -> None:
    result = _sensor_pattern(_fake_from_high_quality_jpeg(genuine))
    assert result.result is False
    assert "less fine-detail energy" in result.details["explanation"]
    assert result.details["jpeg_dct_deficit_z"] >= result.details["jpeg_dct_deficit_z_min"]
    assert result.details["jpeg_dct_energy_ratio"] <= result.details["jpeg_dct_energy_ratio_max"]


def _quantised_on_grid(m: np.ndarray, dy: int, dx: int, step: float) -> np.ndarray:
    """Round every 8x8 block's DCT coefficients (blocks cut at dy, dx) as a JPEG encoder
    does: coefficient (u, v) to multiples of step * (1 + u + v), coarser for finer detail."""
    out = m.copy()
    h, w = (m.shape[0] - dy) // 8 * 8, (m.shape[1] - dx) // 8 * 8
    b = out[dy : dy + h, dx : dx + w].reshape(h // 8, 8, w // 8, 8).transpose(0, 2, 1, 3)
    steps = step * (1.0 + np.add.outer(np.arange(8), np.arange(8)))
    c = np.round((_DCT @ b @ _DCT.T) / steps) * steps
    out[dy : dy + h, dx : dx + w] = (_DCT.T @ c @ _DCT).transpose(0, 2, 1, 3).reshape(h, w)
    return out


def test_the_dct_deficit_finds_quantisation_on_the_corner_grid_only() -> None:
    rng = np.random.default_rng(3)
    noise = 1.0 + 0.02 * rng.standard_normal((512, 512)).astype(np.float32)
    assert abs(jpeg_dct_deficit(noise)["jpeg_dct_deficit_z"]) < 4.0
    on_grid = jpeg_dct_deficit(_quantised_on_grid(noise, 0, 0, 0.005))
    assert on_grid["jpeg_dct_deficit_z"] > 20.0
    assert on_grid["jpeg_dct_energy_ratio"] < 0.9
    # Quantised on a grid 4 px away, the corner grid holds more fine energy, not less.
    assert jpeg_dct_deficit(_quantised_on_grid(noise, 4, 4, 0.005))["jpeg_dct_deficit_z"] < 0


def test_naming_a_lossy_cinema_camera_does_not_exempt_an_uncompressed_fake(
    genuine: tuple[Path, Path],
) -> None:
    """Blackmagic's lossy CinemaDNG is spared the grid tests; an uncompressed DNG is not."""
    dng, jpeg = genuine
    srgb = np.asarray(Image.open(jpeg).convert("RGB"), np.float32) / 255.0
    fake = write_bayer_dng(
        dng.with_name("fake_blackmagic.dng"),
        srgb_to_linear(srgb) * 0.85,
        noise=False,
        seed=7,
        make="Blackmagic Design",
        model="Blackmagic Pocket Cinema Camera 4K",
    )
    result = _sensor_pattern(fake)
    assert result.details["block_grid_skipped_lossy"] is False
    assert result.result is False
