from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import ndimage
from scipy.special import ndtr

from tests.factories.dng import render_scene, write_bayer_dng
from verifications.forensics.decode import decode_raw
from verifications.forensics.moire import chroma_asymmetry, colour_planes
from verifications.forensics.recapture import ASYM_MIN, analyse_recapture


def _screen(scene: np.ndarray, pitch: float, angle_deg: float, blur: float = 0.35) -> np.ndarray:
    """`scene` shown on an RGB-stripe screen (R|G|B subpixels, a dim row between pixel
    rows) and photographed at `pitch` sensor pixels per screen pixel, slightly turned,
    through a lens of Gaussian blur `blur` sensor pixels (as bench/recapture.py builds it)."""
    h, w = scene.shape[:2]
    a = np.deg2rad(angle_deg)
    yy, xx = np.mgrid[:h, :w].astype(np.float64)
    u = (np.cos(a) * (xx - w / 2) - np.sin(a) * (yy - h / 2)) * 3 / pitch
    v = (np.sin(a) * (xx - w / 2) + np.cos(a) * (yy - h / 2)) * 3 / pitch
    s = blur * 3 / pitch  # the lens blur in subpixel units

    def lit(t: np.ndarray, first: int) -> np.ndarray:
        """Blurred share of the unit cells first, first + 3, ... covering position t."""
        base = 3 * np.floor(t / 3) + first
        return sum(ndtr((t - b) / s) - ndtr((t - b - 1) / s) for b in (base - 3, base, base + 3))

    row = 1.0 - 0.75 * lit(v, 2)
    light = np.stack([lit(u, c) * row for c in range(3)], -1).astype(np.float32)
    return np.clip(scene * light * 3.0 + 0.01, 0, 1)


def _stripes(h: int, w: int, period: float, shift_per_colour: float) -> list[np.ndarray]:
    """R, G, G, B planes of a bright stripe texture, colour c shifted by c * shift."""
    yy, xx = np.mgrid[:h, :w].astype(np.float32)
    rng = np.random.default_rng(0)
    planes = []
    for c in (0, 1, 1, 2):
        phase = 2 * np.pi * ((0.9 * xx + 0.3 * yy) / period - c * shift_per_colour)
        p = 1000 + 300 * np.cos(phase) + 20 * rng.standard_normal((h, w))
        planes.append(p.astype(np.float32))
    return planes


def test_three_phase_stripes_are_one_sided_and_in_phase_stripes_are_not() -> None:
    offsets = [(0, 0)] * 4  # planes already co-sited
    screen_like, f, fold, _ = chroma_asymmetry(_stripes(256, 256, 9.0, 1 / 3), offsets, [0.0] * 4)
    brick_like, _, _, _ = chroma_asymmetry(_stripes(256, 256, 9.0, 0.0), offsets, [0.0] * 4)
    assert screen_like > 8.0
    assert brick_like < ASYM_MIN  # one tile of noise: the figure's floor on a tiny frame
    # the reported frequency is the stripes' own, in cycles per sensor pixel
    assert abs(np.hypot(*f) - np.hypot(0.9, 0.3) / 9.0 / 2) < 0.01


def test_a_screen_whose_pitch_matches_the_sensor_is_caught_by_its_colour_phase(
    tmp_path: Path,
) -> None:
    # Pitch 0.96 folds the subpixel grid to a slow beat next to the scene's own structure:
    # no fine spectral peak, only the colour-phase signature.
    scene = _screen(render_scene("astronaut", (1152, 768), seed=0), pitch=0.96, angle_deg=1.5)
    raw = decode_raw(write_bayer_dng(tmp_path / "screen.dng", scene, seed=11))
    rec = analyse_recapture(raw, {})
    assert not rec.result
    d = rec.details
    assert d["peak_prominence"] < d["peak_prominence_min"]
    assert d["colour_phase_asymmetry"] > d["colour_phase_asymmetry_min"]
    assert "screen" in d["explanation"]


def test_a_dark_screen_is_caught_where_it_lights_up(tmp_path: Path) -> None:
    scene = render_scene("hubble_deep_field", (1152, 768), seed=0)
    raw = decode_raw(write_bayer_dng(tmp_path / "dark.dng", _screen(scene, 1.16, 2.8), seed=12))
    rec = analyse_recapture(raw, {})
    assert not rec.result, rec.details


def test_a_colourful_periodic_scene_keeps_a_symmetric_colour_spectrum(tmp_path: Path) -> None:
    # Red bricks, grey mortar: a strong regular texture whose colours move together.
    h, w = 512, 768
    yy, xx = np.mgrid[:h, :w].astype(np.float32)
    course = (yy // 11).astype(int)
    mortar = ((yy % 11) < 2) | (((xx + 12 * (course % 2)) % 24) < 2)
    wall = np.where(mortar[..., None], [0.35, 0.35, 0.33], [0.55, 0.18, 0.10]).astype(np.float32)
    scene = ndimage.gaussian_filter(wall, (0.7, 0.7, 0)) * render_scene("coffee", (w, h), 1)
    raw = decode_raw(write_bayer_dng(tmp_path / "wall.dng", scene * 1.5, seed=13))
    rec = analyse_recapture(raw, {})
    assert rec.result, rec.details
    assert rec.details["colour_phase_asymmetry"] < 1.5


def test_a_plain_capture_has_a_symmetric_colour_spectrum(tmp_path: Path) -> None:
    raw = decode_raw(
        write_bayer_dng(tmp_path / "plain.dng", render_scene("astronaut", (768, 512), 0), seed=14)
    )
    rec = analyse_recapture(raw, {})
    assert rec.result
    assert rec.details["colour_phase_asymmetry"] < rec.details["colour_phase_asymmetry_min"] - 0.5
    assert rec.details["colour_phase_explanation"]


def test_a_dark_screen_coarser_than_two_pixels_is_found_under_the_odd_fold(
    tmp_path: Path,
) -> None:
    # Pitch 1.6: the subpixel grid folds from half the plane's sampling rate, so the sites
    # in odd columns see it sign-flipped; the lattice peaks stay under their bar.
    scene = _screen(render_scene("hubble_deep_field", (1152, 768), seed=0), 1.6, 3.0)
    raw = decode_raw(write_bayer_dng(tmp_path / "odd.dng", scene, seed=15))
    rec = analyse_recapture(raw, {})
    assert not rec.result, rec.details
    assert rec.details["peak_prominence"] < rec.details["peak_prominence_min"]
    assert rec.details["colour_phase_fold"] == "odd columns"


def test_colour_planes_are_refused_for_a_mosaic_without_one_r_two_g_one_b(
    tmp_path: Path,
) -> None:
    raw = decode_raw(
        write_bayer_dng(tmp_path / "p.dng", render_scene("coffee", (256, 256), 0), seed=16)
    )
    assert colour_planes(raw) is not None
    raw.cfa = np.zeros((6, 6), int)  # an X-Trans-sized pattern
    assert colour_planes(raw) is None
    raw.cfa = np.array([[1, 1], [1, 2]])  # no red site
    assert colour_planes(raw) is None
