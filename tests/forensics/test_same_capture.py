from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from tests.factories.dng import make_pair
from verifications.forensics import analyse


@pytest.fixture(scope="module")
def burst(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Two exposures of one scene (same body, new noise draw): RAW A, JPEG A, JPEG B."""
    d = tmp_path_factory.mktemp("burst")
    raw_a, jpeg_a = make_pair(d, size=(768, 512), source="chelsea", seed=1, iso=1600)
    _, jpeg_b = make_pair(d, size=(768, 512), source="chelsea", seed=2, iso=1600)
    return raw_a, jpeg_a, jpeg_b


def _rendition(raw: Path, jpeg: Path):  # type: ignore[no-untyped-def]
    report = analyse(raw, jpeg)
    return next(a for a in report.analyses if a.verificator == "rendition_similarity")


def test_jpeg_of_another_burst_frame_fails_with_a_grain_explanation(
    burst: tuple[Path, Path, Path],
) -> None:
    raw_a, _, jpeg_b = burst
    result = _rendition(raw_a, jpeg_b)
    grain = result.details["same_capture_grain"]
    assert result.result is False
    assert result.details["other_exposure"] is True
    assert grain["conclusive"] and grain["different_exposure"]
    assert grain["grain_residual_floor"] >= grain["min_residual_floor"]
    assert grain["grain_explained_r2"] <= grain["max_explained_r2"]
    assert "another exposure" in result.details["explanation"]
    assert result.details["ssim_mean"] >= result.details["ssim_min"]  # the picture itself matches


def test_jpeg_of_the_same_frame_passes_with_conclusive_grain(
    burst: tuple[Path, Path, Path],
) -> None:
    raw_a, jpeg_a, _ = burst
    result = _rendition(raw_a, jpeg_a)
    grain = result.details["same_capture_grain"]
    assert result.result is True
    assert grain["conclusive"] and not grain["different_exposure"]
    assert grain["grain_explained_r2"] > 0.75


def test_denoised_jpeg_of_the_same_frame_is_inconclusive_not_failed(
    burst: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    raw_a, jpeg_a, _ = burst
    arr = np.asarray(Image.open(jpeg_a), dtype=np.float32) / 255.0
    smooth = ndimage.gaussian_filter(arr, (1.0, 1.0, 0))
    out = tmp_path / "denoised.jpg"
    Image.fromarray((np.clip(smooth, 0, 1) * 255 + 0.5).astype(np.uint8)).save(out, quality=92)
    result = _rendition(raw_a, out)
    grain = result.details["same_capture_grain"]
    assert result.result is True
    assert not grain["conclusive"]
    assert "denoised" in grain["inconclusive_reason"]


def test_a_strong_push_makes_the_grain_evidence_inconclusive_not_a_burst_verdict() -> None:
    from verifications.forensics.rendition_similarity import analyse_rendition_similarity

    # Grain figures that on their own would mean "another exposure" (as an honest +2 EV
    # rendition of syn:camera produced: floor 0.92, R2 0.61).
    grain = {"conclusive": True, "different_exposure": True, "grain_residual_floor": 0.92}
    ssim = np.full((64, 64), 0.99, np.float32)
    valid = np.ones((64, 64), bool)

    def judged(ev: float):  # type: ignore[no-untyped-def]
        summary = {"residual": 3.0, "exposure_ev": ev}
        return analyse_rendition_similarity(True, "", ssim, valid, summary, grain)

    pushed, plain = judged(2.2), judged(0.3)
    assert pushed.result is True and pushed.details["other_exposure"] is False
    assert pushed.details["grain_decides"] is False
    assert pushed.details["grain_max_push_ev"] == 1.5
    assert plain.result is False and plain.details["other_exposure"] is True
