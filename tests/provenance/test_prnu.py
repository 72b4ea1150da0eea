"""The PRNU engine module on synthetic bodies (distinct sensor_seed = distinct sensor)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.provenance.cameras import fingerprint, green, shoot
from verifications.forensics import prnu


@pytest.fixture(scope="module")
def body7(tmp_path_factory):  # noqa: ANN001, ANN201
    return fingerprint(tmp_path_factory.mktemp("body7"), sensor_seed=7, raws=6)


def test_a_raw_of_the_same_body_matches_its_fingerprint(body7, tmp_path):
    match = prnu.pce(green(shoot(tmp_path, sensor_seed=7, shot=20)), body7)
    assert match.aligned and match.shift == (0, 0)
    assert match.matched(), match


def test_a_raw_of_another_body_does_not_match(body7, tmp_path):
    for seed in (8, 9, 10):
        match = prnu.pce(green(shoot(tmp_path, sensor_seed=seed, shot=20)), body7)
        assert match.pce < prnu.PCE_THRESHOLD / 3, (seed, match)


def test_a_raw_of_another_frame_size_is_found_at_its_offset(body7, tmp_path):
    """A body's cropped mode (or a cropped RAW): the search finds the shift."""
    full = shoot(tmp_path, sensor_seed=7, shot=21)
    import rawpy

    with rawpy.imread(str(full)) as raw:
        mosaic = raw.raw_image_visible.copy()
    crop = mosaic[64:384, 96:480]  # 320 x 384, even offsets keep the CFA phase
    data = prnu.extract(crop, [(0, 1), (1, 0)], black=512, white=16383)
    match = prnu.pce(data, body7)
    assert not match.aligned
    assert match.matched(), match
    # The crop's window starts 64+0 / 96+0 mosaic px in: 32 / 48 green px, negated shift.
    assert match.shift == (
        -(64 + data.origin[0] - body7.origin[0]) // 2,
        -(96 + data.origin[1] - body7.origin[1]) // 2,
    )


def test_the_fingerprint_round_trips_through_its_file(body7):
    again = prnu.Fingerprint.from_bytes(body7.to_bytes())
    assert again.count == 6 and again.frame == body7.frame and again.origin == body7.origin
    np.testing.assert_allclose(again.estimate(), body7.estimate(), rtol=1e-6)


def test_the_residual_is_zero_mean_in_every_row_and_column():
    rng = np.random.default_rng(0)
    plane = rng.normal(1000, 30, (128, 96)).astype(np.float32)
    residual = prnu.noise_residual(plane)
    assert np.abs(residual.mean(axis=0)).max() < 1e-3
    assert np.abs(residual.mean(axis=1)).max() < 1e-3


def test_non_bayer_sensors_have_no_green_pair():
    assert prnu.green_offsets(np.array([[0, 1], [1, 2]]), "RGBG") == [(0, 1), (1, 0)]
    assert prnu.green_offsets(np.array([[0, 3], [1, 2]]), "RGBG") == [(0, 1), (1, 0)]
    assert prnu.green_offsets(np.zeros((6, 6)), "RGBG") is None
