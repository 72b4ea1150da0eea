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
