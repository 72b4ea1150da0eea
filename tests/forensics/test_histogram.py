from __future__ import annotations

import numpy as np

from verifications.forensics.histogram import analyse_histogram


def _scene(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0.05, 0.9, 256, dtype=np.float32)
    img = np.repeat(ramp[None, :, None], 192, 0).repeat(3, 2)
    return np.clip(img + rng.normal(0, 0.01, img.shape).astype(np.float32), 0, 1)


def test_a_blown_highlight_left_just_below_white_by_the_prediction_still_passes() -> None:
    # A push clipped 40 % of the picture to white; the prediction's shoulder and smooth
    # gain field leave the same pixels at 0.96 instead of 1.0.
    target = _scene()
    pred = target.copy()
    target[:, :100] = 1.0
    pred[:, :100] = 0.96
    valid = np.ones(target.shape[:2], bool)
    result = analyse_histogram(pred, target, valid)
    assert result.result is True, result.details


def test_tones_moved_outside_the_highlights_still_fail() -> None:
    target = _scene()
    pred = target.copy()
    target[:, :160] = np.clip(target[:, :160] * 0.4, 0, 1)  # most of the frame darkened
    valid = np.ones(target.shape[:2], bool)
    result = analyse_histogram(pred, target, valid)
    assert result.result is False
    assert max(result.details["ks_per_channel"]) > result.details["ks_max"]


def test_whitening_an_area_the_raw_shows_as_mid_grey_still_fails() -> None:
    target = _scene()
    pred = target.copy()
    target[:, 60:160] = 1.0  # painted white where the prediction is 0.25-0.6
    valid = np.ones(target.shape[:2], bool)
    assert analyse_histogram(pred, target, valid).result is False
