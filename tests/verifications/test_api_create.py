from __future__ import annotations

import hashlib
import io
import struct

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from lumethic.models import MonthlyUsage
from verifications.models import Status, Verification

URL = "/v1/verifications/"


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 40)).save(buf, "JPEG")
    return buf.getvalue()


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose SOF header claims another size (a pixel bomb)."""
    data = bytearray(jpeg_bytes())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def media_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()]


def errors_of(response) -> dict:
    return {tuple(i["loc"]): i["msg"] for i in response.json()["detail"]}


def test_an_upload_is_stored_hashed_queued_and_enqueued_on_commit(
    alice, upload, pair_files, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.post(URL, upload(), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "security_score"}
    v = Verification.objects.get(pk=body["id"])
    assert v.status == Status.QUEUED and v.account == alice.account
    assert v.raw_photo_hash == hashlib.sha256(pair_files[0].read_bytes()).hexdigest()
    assert v.image_photo_hash == hashlib.sha256(pair_files[1].read_bytes()).hexdigest()
    assert v.name == pair_files[1].stem and v.raw_format == "DNG"
    assert pair_files[0].name not in v.raw_file.name  # server-side random names
    assert enqueued == [str(v.pk)]


def test_the_free_plans_sixth_upload_is_402_and_stores_nothing(alice, upload, _isolated_media):
    for _ in range(5):
        assert alice.client.post(URL, upload(), format="multipart").status_code == 201
    before = media_files(_isolated_media)
    response = alice.client.post(URL, upload(), format="multipart")
    assert response.status_code == 402
    assert "upgrade" in response.json()["detail"]
    assert media_files(_isolated_media) == before
    assert Verification.objects.filter(account=alice.account).count() == 5


def test_an_unknown_attestation_is_404(alice, upload):
    body = upload() | {"attestation_id": "6f1c1c1e-1111-4a4a-9b9b-123456789abc"}
    response = alice.client.post(URL, body, format="multipart")
    assert response.status_code == 404
    assert response.json()["detail"] == "Attestation not found."


def test_missing_files_are_422_naming_each_field(alice):
    response = alice.client.post(URL, {}, format="multipart")
    assert response.status_code == 422
    assert set(errors_of(response)) == {("body", "raw"), ("body", "image")}


@pytest.mark.parametrize(
    ("field", "content", "needle"),
    [
        ("raw", b"", "empty"),
        ("raw", jpeg_bytes(), "JPEG"),
        ("raw", b"II*\x00\x08\x00\x00\x00" + b"\x00" * 8, "not a camera RAW"),
        ("raw", b"%PDF-1.7 hello", "Not a supported camera RAW"),
        ("image", b"", "empty"),
        ("image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Not a JPEG"),
        ("image", jpeg_bytes(1, 1), "at least"),
        ("image", jpeg_declaring(60000, 60000), "above the limit"),
        ("image", b"\xff\xd8\xff\xe0\x00\x10JFIF", "damaged or truncated"),
    ],
    ids=[
        "empty-raw",
        "jpeg-as-raw",
        "plain-tiff",
        "pdf",
        "empty-jpeg",
        "png",
        "1x1",
        "bomb",
        "cut-jpeg",
    ],
)
def test_bad_files_are_422_naming_the_field_and_store_nothing(
    alice, upload, field, content, needle, _isolated_media
):
    body = upload()
    body[field] = ContentFile(content, name="x.bin")
    response = alice.client.post(URL, body, format="multipart")
    assert response.status_code == 422, response.content
    errors = errors_of(response)
    assert list(errors) == [("body", field)]
    assert needle in errors[("body", field)]
    assert media_files(_isolated_media) == []
    assert MonthlyUsage.objects.get(account=alice.account).count == 0  # quota given back


def test_a_truncated_raw_passes_the_header_check_and_fails_in_the_worker(
    alice, upload, pair_files, process
):
    body = upload()
    body["raw"] = ContentFile(pair_files[0].read_bytes()[:4096], name="cut.dng")
    response = alice.client.post(URL, body, format="multipart")
    assert response.status_code == 201
    assert process(response.json()["id"]) == "failed"
    v = Verification.objects.get(pk=response.json()["id"])
    assert v.status == Status.FAILED and "Traceback" not in v.failure_reason
    assert v.failure_reason.startswith("The RAW file could not be used: ")


def test_a_path_traversal_file_name_never_reaches_storage(
    alice, upload, pair_files, _isolated_media
):
    body = upload()
    body["image"] = ContentFile(pair_files[1].read_bytes(), name="../../../../etc/evil\x00.jpg")
    response = alice.client.post(URL, body, format="multipart")
    assert response.status_code == 201
    v = Verification.objects.get(pk=response.json()["id"])
    assert ".." not in v.image_file.name and "evil" not in v.image_file.name
    assert "/" not in v.name and ".." not in v.name
    assert all(_isolated_media in p.parents for p in media_files(_isolated_media))


def test_a_file_over_the_size_limit_is_413_with_a_json_detail(alice, upload, settings):
    settings.MAX_JPEG_BYTES = 1024
    response = alice.client.post(URL, upload(), format="multipart")
    assert response.status_code == 413
    assert "image" in response.json()["detail"]
    assert not Verification.objects.exists()


def test_an_anonymous_upload_is_401(anon, upload):
    assert anon.post(URL, upload(), format="multipart").status_code == 401
