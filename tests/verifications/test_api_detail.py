from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.verifications.helpers import make_verification
from verifications.models import Verification

ENDPOINTS = [
    ("get", "/v1/verifications/{id}"),
    ("delete", "/v1/verifications/{id}"),
    ("get", "/v1/verifications/{id}/image"),
    ("get", "/v1/verifications/{id}/renditions/thumbnail"),
]


def test_get_returns_the_contract_shape(alice):
    v = make_verification(alice.account)
    body = alice.client.get(f"/v1/verifications/{v.pk}").json()
    assert body["id"] == str(v.pk) and body["account_id"] == str(alice.account.pk)
    for key in (
        "status",
        "results",
        "result",
        "result_confidence",
        "raw_metadata",
        "image_metadata",
        "rendition_info",
        "rendition_corrected_info",
        "raw_photo_hash",
        "image_photo_hash",
        "image_thumbnail_url",
        "name",
        "short_code",
        "created_at",
        "updated_at",
        "security_score",
        "attestation_validated",
        "device_fingerprint_id",
        "camera_fingerprint_id",
        "sequence_number",
        "integrity_score",
        "jailbreak_indicators",
        "capture_gps_latitude",
        "capture_gps_longitude",
        "failure_reason",
    ):
        assert key in body
    assert body["created_at"].endswith("Z")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_another_accounts_verification_is_404_like_a_missing_one(alice, bob, method, path):
    bobs = make_verification(bob.account)
    other = getattr(alice.client, method)(path.format(id=bobs.pk))
    missing = getattr(alice.client, method)(path.format(id=uuid.uuid4()))
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "Not found."}
    assert Verification.objects.filter(pk=bobs.pk).exists()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_malformed_id_is_422_naming_the_path_parameter(alice, method, path):
    response = getattr(alice.client, method)(path.format(id="1234"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "verification_id"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_verification_endpoint_needs_a_key(anon, alice, method, path):
    v = make_verification(alice.account)
    assert getattr(anon, method)(path.format(id=v.pk)).status_code == 401


def test_delete_removes_the_row_and_its_files(alice, django_capture_on_commit_callbacks):
    v = make_verification(alice.account)
    names = [v.raw_file.name, v.image_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.delete(f"/v1/verifications/{v.pk}")
    assert response.status_code == 200 and response.json() == {"detail": "Verification deleted."}
    assert not Verification.objects.filter(pk=v.pk).exists()
    assert not any(default_storage.exists(n) for n in names)


def test_image_redirects_to_a_short_lived_signed_url_serving_the_jpeg(alice, client, settings):
    v = make_verification(alice.account)
    response = alice.client.get(f"/v1/verifications/{v.pk}/image")
    assert response.status_code == 302
    url = response["Location"]
    served = client.get(url[url.index("/files/") :])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"\xff\xd8\xffjpeg"
    tampered = url[url.index("/files/") :][:-3] + "abc"
    assert client.get(tampered).status_code == 404


def test_a_signed_url_expires(alice, client, settings, monkeypatch):
    v = make_verification(alice.account)
    url = alice.client.get(f"/v1/verifications/{v.pk}/image")["Location"]
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.SIGNED_URL_SECONDS + 5)
    assert client.get(url[url.index("/files/") :]).status_code == 404


def test_thumbnail_is_404_until_the_worker_made_one_then_redirects(alice, client):
    v = make_verification(alice.account)
    assert alice.client.get(f"/v1/verifications/{v.pk}/renditions/thumbnail").status_code == 404
    v.thumbnail = default_storage.save("derived/t/thumb.jpg", ContentFile(b"\xff\xd8\xffthumb"))
    v.save()
    response = alice.client.get(f"/v1/verifications/{v.pk}/renditions/thumbnail")
    assert response.status_code == 302
    body = alice.client.get(f"/v1/verifications/{v.pk}").json()
    assert body["image_thumbnail_url"].endswith(f"/v1/verifications/{v.pk}/renditions/thumbnail")


def test_a_photo_sold_under_licence_cannot_be_deleted_403(alice, bob):
    from marketplace.models import Listing, Purchase

    v = make_verification(alice.account)
    listing = Listing.objects.create(
        account=alice.account, verification=v, title="t", price_personal_cents=500
    )
    purchase = Purchase.objects.create(
        listing=listing,
        buyer_account=bob.account,
        license_type="personal",
        currency="usd",
        price_cents=500,
    )
    Purchase.objects.filter(pk=purchase.pk).update(status="paid")
    response = alice.client.delete(f"/v1/verifications/{v.pk}")
    assert response.status_code == 403
    assert "sold under licence" in response.json()["detail"]
    assert Verification.objects.filter(pk=v.pk).exists()

    Purchase.objects.filter(pk=purchase.pk).update(
        status="pending"
    )  # an unpaid checkout does not lock it
    assert alice.client.delete(f"/v1/verifications/{v.pk}").status_code == 200
