"""GET /v1/verifications/{id}/renditions/signed/original: the JPEG with its verification strip."""

from __future__ import annotations

import io
import uuid

import numpy as np
import pytest
import zxingcpp
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from sharing import renditions
from tests.sharing.conftest import make_verification, share
from verifications.models import Status


def url(v) -> str:  # noqa: ANN001
    return f"/v1/verifications/{v.pk}/renditions/signed/original"


def fetch(persona, v) -> tuple[bytes, str]:  # noqa: ANN001
    response = persona.client.get(url(v))
    assert response.status_code in (302, 307), response.content
    location = response["Location"]
    assert location.startswith("http://testserver/files/")
    served = Client().get(location.replace("http://testserver", ""))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    return b"".join(served.streaming_content), location


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"), dtype=np.int16)


def original_pixels(v) -> np.ndarray:  # noqa: ANN001
    with default_storage.open(v.image_file.name, "rb") as fh:
        return pixels(fh.read())


def qr_texts(image: np.ndarray) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.astype(np.uint8))]


def test_the_signed_original_is_the_image_with_a_strip_whose_qr_opens_the_share(
    alice, verification
):
    body = share(alice, verification)
    data, _ = fetch(alice, verification)
    signed, original = pixels(data), original_pixels(verification)
    h, w, _ = original.shape
    assert signed.shape[1] == w and signed.shape[0] > h + 100
    diff = np.abs(signed[:h] - original)
    assert diff.mean() < 2.0, diff.mean()  # re-encoding noise only
    assert np.percentile(diff, 99) <= 12
    strip = signed[h:]
    assert qr_texts(strip) == [body["share_url"]]


def test_the_strip_shows_the_verdict_colour(alice, make_v):
    good, bad = make_v(alice), make_v(alice, result=False)
    share(alice, good)
    share(alice, bad)
    h = original_pixels(good).shape[0]
    green = pixels(fetch(alice, good)[0])[h + 2, 5]
    red = pixels(fetch(alice, bad)[0])[h + 2, 5]
    assert green[1] > green[0] and red[0] > red[1]


def test_gps_is_stripped_but_the_camera_tags_stay(alice, gps_verification):
    with default_storage.open(gps_verification.image_file.name, "rb") as fh:
        assert Image.open(fh).getexif().get_ifd(0x8825)  # the upload has a location
    share(alice, gps_verification)
    data, _ = fetch(alice, gps_verification)
    exif = Image.open(io.BytesIO(data)).getexif()
    assert 0x8825 not in exif and not exif.get_ifd(0x8825)
    assert exif.get(0x010F) == "HTC"  # Make kept
    strip = pixels(data)[original_pixels(gps_verification).shape[0] :]
    assert len(qr_texts(strip)) == 1


def test_a_narrow_image_gets_a_strip_wide_enough_for_a_readable_qr(alice):
    from tests.sharing.conftest import photo_jpeg

    v = make_verification(alice, jpeg=photo_jpeg(240, 320))
    body = share(alice, v)
    signed = pixels(fetch(alice, v)[0])
    assert signed.shape[1] >= 480
    assert qr_texts(signed[320:]) == [body["share_url"]]


def test_it_is_generated_once_and_then_served_from_storage(alice, verification, monkeypatch):
    share(alice, verification)
    first, _ = fetch(alice, verification)
    calls = []
    monkeypatch.setattr("sharing.imaging.compose_signed", lambda *a, **k: calls.append(a) or (0, 0))
    second, _ = fetch(alice, verification)
    assert first == second and calls == []


def test_it_is_regenerated_when_the_verdict_changes(alice, verification):
    share(alice, verification)
    before = renditions.signed_original(verification=verification, share=verification.share)
    verification.result, verification.result_confidence = False, 0.81
    verification.save()
    verification.refresh_from_db()
    after = renditions.signed_original(verification=verification, share=verification.share)
    assert after != before
    assert not default_storage.exists(before)  # the stale copy is gone
    h = original_pixels(verification).shape[0]
    with default_storage.open(after, "rb") as fh:
        red = pixels(fh.read())[h + 2, 5]
    assert red[0] > red[1]


def test_resharing_redraws_the_qr_with_the_new_url(alice, verification):
    share(alice, verification)
    fetch(alice, verification)
    alice.client.delete(f"/v1/verifications/{verification.pk}/share")
    body = share(alice, verification)
    data, _ = fetch(alice, verification)
    h = original_pixels(verification).shape[0]
    assert qr_texts(pixels(data)[h:]) == [body["share_url"]]


def test_a_tampered_signature_is_refused(alice, verification):
    share(alice, verification)
    _, location = fetch(alice, verification)
    path = location.replace("http://testserver", "")
    assert (
        Client().get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")).status_code == 404
    )


def test_an_expired_signature_is_refused(alice, verification, settings):
    share(alice, verification)
    _, location = fetch(alice, verification)
    settings.SIGNED_URL_SECONDS = -1
    assert Client().get(location.replace("http://testserver", "")).status_code == 404


def test_an_unshared_verification_has_no_signed_original(alice, verification):
    response = alice.client.get(url(verification))
    assert response.status_code == 404
    assert "Share" in response.json()["detail"]


@pytest.mark.parametrize("status", [Status.QUEUED, Status.FAILED])
def test_an_unfinished_verification_has_no_signed_original(alice, status):
    v = make_verification(alice, status=status)
    assert alice.client.get(url(v)).status_code == 404


def test_another_accounts_signed_original_is_404(alice, bob, verification):
    share(alice, verification)
    assert bob.client.get(url(verification)).status_code == 404


def test_unknown_malformed_and_unauthenticated(alice, anon, verification):
    assert alice.client.get(url(type("V", (), {"pk": uuid.uuid4()}))).status_code == 404
    response = alice.client.get("/v1/verifications/zz/renditions/signed/original")
    assert response.status_code == 422
    assert anon.get(url(verification)).status_code == 401


def test_deleting_the_verification_removes_the_cached_files(
    alice, verification, django_capture_on_commit_callbacks
):
    share(alice, verification)
    name = renditions.signed_original(verification=verification, share=verification.share)
    with django_capture_on_commit_callbacks(execute=True):
        alice.client.delete(f"/v1/verifications/{verification.pk}")
    assert not default_storage.exists(name)


def test_the_download_name_is_safe_for_a_header(alice, verification):
    type(verification).objects.filter(pk=verification.pk).update(name='say "cheese"; x')
    verification.refresh_from_db()
    share(alice, verification)
    _, location = fetch(alice, verification)
    served = Client().get(location.replace("http://testserver", ""))
    assert served["Content-Disposition"] == 'attachment; filename="say _cheese_ x-verified.jpg"'
