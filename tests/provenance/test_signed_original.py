"""The served signed original of an authentic verification carries our C2PA manifest."""

from __future__ import annotations

import pytest
from django.test import Client

from provenance import c2pa
from tests.sharing.conftest import make_verification, share


@pytest.fixture(autouse=True)
def dev_var(settings, tmp_path_factory):  # noqa: ANN001, ANN201
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "c2pa-var"
    settings.C2PA_CERT_PATH = ""
    settings.C2PA_KEY_PATH = ""


def served(persona, v) -> bytes:  # noqa: ANN001
    response = persona.client.get(f"/v1/verifications/{v.pk}/renditions/signed/original")
    assert response.status_code in (302, 307), response.content
    body = Client().get(response["Location"].replace("http://testserver", ""))
    return b"".join(body.streaming_content)


def test_an_authentic_verifications_signed_original_carries_our_assertion(alice):
    v = make_verification(alice, result=True)
    link = share(alice, v)["share_url"]
    summary = c2pa.read_manifest(served(alice, v), trust_anchors=c2pa.credentials().ca_pem)
    assert summary["validation_state"] == "Trusted"
    ours = summary["lumethic_assertion"]
    assert ours["verification_id"] == str(v.pk)
    assert ours["verdict"] == "authentic"
    assert ours["confidence"] == v.result_confidence
    assert (ours["raw_sha256"], ours["image_sha256"]) == (v.raw_photo_hash, v.image_photo_hash)
    assert ours["share_url"] == link


def test_a_not_authentic_verification_is_served_without_credentials(alice):
    v = make_verification(alice, result=False)
    share(alice, v)
    assert c2pa.read_manifest(served(alice, v)) is None


def test_a_signing_failure_still_serves_the_image(alice, settings, tmp_path):
    settings.C2PA_CERT_PATH = str(tmp_path / "missing.pem")
    settings.C2PA_KEY_PATH = str(tmp_path / "missing.key")
    v = make_verification(alice, result=True)
    share(alice, v)
    data = served(alice, v)
    assert data[:2] == b"\xff\xd8" and c2pa.read_manifest(data) is None
