"""The local-edit map on small arrays: what global edits leave out and what local edits leave in."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from verifications.forensics.colour_lut import local_residual
from verifications.forensics.flow_refine import refine_alignment
from verifications.forensics.imaging import to_lab
from verifications.forensics.local_tamper import find_regions, split_regions, tamper_maps


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    img = cv2.resize(data.astronaut(), (384, 384), interpolation=cv2.INTER_AREA)
    return img.astype(np.float32) / 255.0


def _blob(shape: tuple[int, int], centre: tuple[int, int], radius: int) -> np.ndarray:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    return (yy - centre[0]) ** 2 + (xx - centre[1]) ** 2 <= radius**2


def _hue_rotate(img: np.ndarray, where: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    hsv[..., 0] = np.where(where, (hsv[..., 0] + 120.0) % 360.0, hsv[..., 0])
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def _failing(pred: np.ndarray, image: np.ndarray) -> list:  # type: ignore[type-arg]
    valid = np.ones(pred.shape[:2], bool)
    maps = tamper_maps(pred, image, valid, None, pred)
    return split_regions(find_regions(maps, valid, 1.0))[0]


def _hue_dependent_saturation(img: np.ndarray) -> np.ndarray:
    """A global HSL-style edit: reds much more saturated, blues less, all a little darker."""
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    gain = 1.0 + 0.6 * np.cos(np.deg2rad(hsv[..., 0]))
    hsv[..., 1] = np.clip(hsv[..., 1] * gain, 0, 1)
    hsv[..., 2] *= 0.9
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def test_a_colour_change_made_everywhere_leaves_no_local_residual(photo: np.ndarray) -> None:
    everywhere = np.ones(photo.shape[:2], bool)
    edited = _hue_dependent_saturation(photo)
    res = local_residual(to_lab(photo), to_lab(edited), everywhere)
    de = np.sqrt((res**2).sum(-1))
    plain = np.sqrt(((to_lab(edited) - to_lab(photo)) ** 2).sum(-1))
    assert np.median(de) < 0.3 * np.median(plain)


def test_the_same_colour_change_in_one_place_stays_in_the_residual(photo: np.ndarray) -> None:
    blob = _blob(photo.shape[:2], (260, 120), 40)
    edited = np.where(blob[..., None], _hue_rotate(photo, blob), photo)
    res = local_residual(to_lab(photo), to_lab(edited), np.ones(blob.shape, bool))
    de = np.sqrt((res**2).sum(-1))
    assert np.median(de[blob]) > 5 * max(0.5, float(np.median(de[~blob])))


def test_smooth_drift_of_a_pixel_or_two_is_aligned_away(photo: np.ndarray) -> None:
    h, w = photo.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    drift = 1.5 * (xx / w)  # like a lens-profile correction the similarity fit missed
    drifted = cv2.remap(photo, xx + drift, yy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    (fixed,) = refine_alignment(photo, drifted)
    inner = (slice(20, -20), slice(20, -20))
    before = np.abs(photo - drifted)[inner].mean()
    after = np.abs(fixed - drifted)[inner].mean()
    assert after < 0.5 * before


def test_an_untouched_rendition_has_no_failing_region(photo: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    jpeg_like = np.clip(photo + rng.normal(0, 0.004, photo.shape).astype(np.float32), 0, 1)
    assert _failing(photo, jpeg_like) == []


def test_a_recoloured_object_fails_where_it_was_recoloured(photo: np.ndarray) -> None:
    blob = _blob(photo.shape[:2], (296, 72), 30)  # the astronaut's flag patch: colourful
    edited = np.where(blob[..., None], _hue_rotate(photo, blob), photo)
    failing = _failing(photo, edited)
    assert any(r.box[0] <= 72 <= r.box[2] and r.box[1] <= 296 <= r.box[3] for r in failing)
    for x0, y0, x1, y1 in (r.box for r in failing):  # every box on the blob, none wider
        assert x0 < 102 and x1 > 42 and y0 < 326 and y1 > 266
        assert (x1 - x0) < 120 and (y1 - y0) < 120


def test_a_pasted_patch_of_another_picture_fails(photo: np.ndarray) -> None:
    other = cv2.resize(data.coffee(), (384, 384), interpolation=cv2.INTER_AREA)
    other = other.astype(np.float32) / 255.0
    edited = photo.copy()
    edited[40:90, 250:320] = other[100:150, 100:170]
    failing = _failing(photo, edited)
    assert failing and any(r.box[0] <= 260 and r.box[2] >= 310 for r in failing)


def test_a_faint_tint_over_a_large_area_fails_by_its_hue(photo: np.ndarray) -> None:
    blob = _blob(photo.shape[:2], (190, 300), 60)  # ~8 % of the frame
    lab = to_lab(photo)
    lab[..., 2] += np.where(blob, 7.0, 0.0).astype(np.float32)  # a yellow cast, ~7 ΔE
    tinted = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB), 0, 1)
    failing = _failing(photo, tinted)
    assert failing
    x0, y0, x1, y1 = failing[0].box
    assert x0 <= 300 <= x1 and y0 <= 190 <= y1


def test_a_black_and_white_channel_mix_is_keyed_by_the_raws_own_colours(
    photo: np.ndarray,
) -> None:
    """The recipe's grey prediction has lost the hues a channel mix treats differently."""
    pred = np.repeat((photo @ np.float32([0.30, 0.59, 0.11]))[..., None], 3, axis=2)
    image = np.repeat((photo @ np.float32([0.70, 0.25, 0.05]))[..., None], 3, axis=2)
    everywhere = np.ones(photo.shape[:2], bool)
    keyed = local_residual(to_lab(pred), to_lab(image), everywhere, key=to_lab(photo))
    unkeyed = local_residual(to_lab(pred), to_lab(image), everywhere)
    red = to_lab(photo)[..., 1] > 40  # the flag and the suit's patches
    assert np.abs(keyed[..., 0])[red].mean() < 0.5 * np.abs(unkeyed[..., 0])[red].mean()
    maps = tamper_maps(pred, image, everywhere, None, photo)
    assert split_regions(find_regions(maps, everywhere, 1.0))[0] == []
