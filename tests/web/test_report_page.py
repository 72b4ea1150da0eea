from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests.conftest import Persona
from verifications.models import Status, Verification


def test_regions_are_outlined_on_the_heatmap_and_listed(
    alice: Persona, web: Client, make_verification
):
    heatmap = default_storage.save("derived/h.png", ContentFile(b"png"))
    v = make_verification(
        alice.account,
        result=False,
        heatmap_image=heatmap,
        image_metadata={"width": 800, "height": 600},
        regions=[
            {"box": [10, 20, 110, 70], "area_share": 0.0104, "kind": "added", "score": 5.0},
            {"box": [300, 300, 340, 360], "area_share": 0.005, "kind": "removed", "score": 3.0},
        ],
    )
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert '<svg viewBox="0 0 800 600"' in html
    assert '<rect class="region region-added" x="10" y="20" width="100" height="50">' in html
    assert '<rect class="region region-removed" x="300" y="300" width="40" height="60">' in html
    assert "<td>1.04 %</td>" in html and "<td>Removed</td>" in html


def test_the_edit_recipe_is_told_in_words(alice: Persona, web: Client, make_verification):
    v = make_verification(
        alice.account,
        rendition_info={"summary": "cropped to 80 %, rotated 1.5°"},
        rendition_corrected_info={
            "exposure_ev": 0.7,
            "wb_gains": [1.2, 1.0, 0.9],
            "saturation": 1.2,
            "summary": "+0.7 EV",
        },
    )
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert "Framing: cropped to 80 %, rotated 1.5°." in html
    assert "Exposure raised by 0.7 stops." in html
    assert "White balance made warmer." in html
    assert "Saturation increased by 20 %." in html


def test_mismatched_camera_metadata_rows_are_highlighted(
    alice: Persona, web: Client, make_verification
):
    v = make_verification(
        alice.account,
        raw_metadata={"make": "Nikon", "iso": 100.0, "software": "x"},
        image_metadata={"make": "Canon", "iso": 100.0, "software": "y"},
    )
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert html.count('class="mismatch"') == 1
    assert '<tr class="mismatch"><th scope="row">Make</th>' in html


def test_a_report_still_processing_says_so_and_polls(
    alice: Persona, web: Client, make_verification
):
    v = make_verification(alice.account, status=Status.QUEUED, result=None, result_confidence=None)
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert "Verifying…" in html and 'data-pending="1"' in html


def test_a_failed_verification_explains_why(alice: Persona, web: Client, make_verification):
    v = make_verification(
        alice.account, status=Status.FAILED, result=None, failure_reason="The RAW is damaged."
    )
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert "Could not be verified" in html and "The RAW is damaged." in html


def test_another_accounts_report_is_404(bob: Persona, web: Client, make_verification):
    v = make_verification(bob.account)
    assert web.get(f"/verifications/{v.pk}/").status_code == 404
    assert web.post(f"/verifications/{v.pk}/delete/").status_code == 404
    assert Verification.objects.filter(pk=v.pk).exists()


def test_a_malformed_report_id_is_404(web: Client):
    assert web.get("/verifications/not-a-uuid/").status_code == 404


def test_deleting_asks_first_then_removes_the_verification(
    alice: Persona, web: Client, make_verification
):
    v = make_verification(alice.account, name="gone")
    confirm = web.get(f"/verifications/{v.pk}/delete/")
    assert "Delete this verification?" in confirm.content.decode()
    assert Verification.objects.filter(pk=v.pk).exists()
    response = web.post(f"/verifications/{v.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert not Verification.objects.filter(pk=v.pk).exists()


def test_a_completed_report_offers_share_listing_and_the_signed_image_once_shared(
    alice: Persona, web: Client, make_verification
):
    from sharing.services import share_upsert

    v = make_verification(alice.account)
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert f'data-share-api="/v1/verifications/{v.pk}/share"' in html
    assert 'data-listing-api="/v1/marketplace/listings"' in html and 'id="listing-open"' in html
    assert 'id="signed-download" href="/v1/verifications/' in html
    assert 'id="signed-hint"' in html  # hidden link + hint until a share exists
    share_upsert(verification=v, access_type="anyone_with_link", user=alice.user)
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert 'id="signed-hint"' not in html
    assert f'href="/v1/verifications/{v.pk}/renditions/signed/original">' in html


def test_a_report_still_processing_offers_no_share_or_listing(
    alice: Persona, web: Client, make_verification
):
    v = make_verification(alice.account, status=Status.IN_PROGRESS, result=None)
    html = web.get(f"/verifications/{v.pk}/").content.decode()
    assert 'id="share-open"' not in html and 'id="listing-open"' not in html
