"""The report page on verifications the real engine produced (in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from skimage import data as skimage_data

from tests.conftest import Persona
from verifications.models import Verification


@pytest.fixture(scope="session")
def pasted_jpeg(pair_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session pair's JPEG with an object from another photo pasted in."""
    with Image.open(pair_files[1]) as im:
        exif = im.info.get("exif", b"")
        forged = im.copy()
    forged.paste(Image.fromarray(skimage_data.coffee()).resize((80, 60)), (260, 20))
    path = tmp_path_factory.mktemp("forged") / "forged.jpg"
    forged.save(path, quality=92, exif=exif)
    return path


def test_an_authentic_report_shows_verdict_recipe_comparison_cards_and_metadata(
    web: Client, completed_verification: Verification
):
    v = completed_verification
    response = web.get(f"/verifications/{v.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="verdict">Authentic</h1>' in html
    assert 'id="confidence-value"' in html
    assert "Your edits, as we read them" in html and "Framing:" in html
    assert html.count("/files/") >= 3  # JPEG, RAW rendition, heatmap through signed URLs
    for mode in ("side", "slider", "flicker"):
        assert f'data-mode="{mode}"' in html
    assert html.count('class="card analysis') == v.results.count() >= 4
    assert "Camera RAW file integrity" in html or "RAW file integrity" in html
    assert '<table id="metadata">' in html and "Lumethic" in html
    assert 'class="mismatch"' not in html


def test_a_locally_forged_jpeg_is_not_authentic_with_its_region_outlined_and_listed(
    alice: Persona, web: Client, pair_files, pasted_jpeg: Path, upload, process
):
    response = alice.client.post(
        "/v1/verifications/", upload(image=pasted_jpeg), format="multipart"
    )
    process(response.json()["id"])
    html = web.get(f"/verifications/{response.json()['id']}/").content.decode()
    assert '<h1 id="verdict">Not authentic</h1>' in html
    assert '<rect class="region region-' in html
    assert '<table id="regions">' in html
