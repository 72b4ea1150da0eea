from __future__ import annotations

from django.core.files.base import ContentFile
from django.test import Client

from lumethic.models import MonthlyUsage
from lumethic.services import current_month
from tests.conftest import Persona
from verifications.models import Verification


def test_the_upload_page_has_labelled_file_inputs_and_a_progress_bar(web: Client):
    html = web.get("/upload/").content.decode()
    for field in ("id_files", "id_raw", "id_image", "upload-progress"):
        assert f'for="{field}"' in html, field
    assert "<progress" in html
    assert 'data-api="/v1/verifications/"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_plain_form_post_creates_the_verification_and_opens_its_report(
    alice: Persona, web: Client, upload, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/upload/", upload())
    verification = Verification.objects.get(account=alice.account)
    assert response.status_code == 302
    assert response["Location"] == f"/verifications/{verification.pk}/"
    assert enqueued == [str(verification.pk)]


def test_files_of_the_wrong_kind_are_explained_in_words(web: Client, pair_files):
    raw, image = pair_files
    body = {
        "raw": ContentFile(image.read_bytes(), name="photo.dng"),
        "image": ContentFile(image.read_bytes(), name="photo.jpg"),
    }
    response = web.post("/upload/", body)
    assert response.status_code == 422
    assert "RAW file:" in response.content.decode()


def test_the_sixth_upload_on_the_free_plan_shows_the_upgrade_way_out(
    alice: Persona, web: Client, upload
):
    MonthlyUsage.objects.create(account=alice.account, month=current_month(), count=5)
    response = web.post("/upload/", upload())
    assert response.status_code == 402
    html = response.content.decode()
    assert "upgrade" in html and 'href="/plan/"' in html
    assert not Verification.objects.filter(account=alice.account).exists()


def test_an_oversized_file_is_refused_with_its_limit(web: Client, upload, settings):
    settings.MAX_RAW_BYTES = 1024
    response = web.post("/upload/", upload())
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
