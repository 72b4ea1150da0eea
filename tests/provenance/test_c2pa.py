"""Content Credentials: our signed JPEG reads back valid; submitted manifests are reported."""

from __future__ import annotations

import io

import c2pa as c2pa_lib
import pytest
from PIL import Image

from provenance import c2pa
from tests.provenance.cameras import shoot
from tests.provenance.engine import small_jpeg, submit

ASSERTION = {
    "verification_id": "6f1c1c1e-1111-4a4a-9b9b-123456789abc",
    "verdict": "authentic",
    "confidence": 0.97,
    "raw_sha256": "a" * 64,
    "image_sha256": "b" * 64,
    "share_url": "https://lumethic.example/s/abc",
}


@pytest.fixture(autouse=True)
def dev_var(settings, tmp_path_factory):  # noqa: ANN001, ANN201
    """Fresh development credentials per module run, outside the real var/."""
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "c2pa-var"
    settings.C2PA_CERT_PATH = ""
    settings.C2PA_KEY_PATH = ""


def photo() -> bytes:
    buf = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").resize((320, 240)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_our_signed_jpeg_reads_back_with_our_assertion_and_a_valid_signature():
    signed = c2pa.sign_jpeg(photo(), ASSERTION)
    with c2pa_lib.Reader("image/jpeg", io.BytesIO(signed)) as reader:
        assert reader.get_validation_state() == "Valid"
        manifest = reader.get_active_manifest()
        failures = reader.get_validation_results()["activeManifest"].get("failure") or []
    ours = next(a for a in manifest["assertions"] if a["label"] == c2pa.ASSERTION_LABEL)
    assert ours["data"] == ASSERTION
    assert manifest["signature_info"]["common_name"].startswith("Lumethic Verification Signer")
    # Signature and data hash check out; the only complaint is that no one trusts a dev CA.
    assert [f["code"] for f in failures] == ["signingCredential.untrusted"]
    assert Image.open(io.BytesIO(signed)).size == (320, 240)


def test_with_our_ca_as_trust_anchor_the_signature_is_trusted():
    signed = c2pa.sign_jpeg(photo(), ASSERTION)
    summary = c2pa.read_manifest(signed, trust_anchors=c2pa.credentials().ca_pem)
    assert summary["validation_state"] == "Trusted"
    assert summary["failures"] == []
    assert summary["lumethic_assertion"] == ASSERTION
    assert summary["claim_generator"].startswith("Lumethic")
    assert [a["action"] for a in summary["actions"]] == ["c2pa.opened", "c2pa.edited"]


def test_configured_credentials_are_used(settings, tmp_path):
    creds = c2pa.dev_credentials(tmp_path / "prod")
    (tmp_path / "chain.pem").write_bytes(creds.chain_pem)
    (tmp_path / "key.pem").write_bytes(creds.key_pem)
    settings.C2PA_CERT_PATH = str(tmp_path / "chain.pem")
    settings.C2PA_KEY_PATH = str(tmp_path / "key.pem")
    signed = c2pa.sign_jpeg(photo(), ASSERTION)
    assert c2pa.read_manifest(signed, trust_anchors=creds.ca_pem)["validation_state"] == "Trusted"


def test_a_tampered_manifest_is_reported_invalid_not_raised():
    signed = bytearray(c2pa.sign_jpeg(photo(), ASSERTION))
    signed[-2000] ^= 0xFF  # pixels changed after signing
    summary = c2pa.read_manifest(bytes(signed))
    assert summary["present"] is True
    assert summary["validation_state"] == "Invalid"
    assert "assertion.dataHash.mismatch" in summary["failures"]


def test_a_jpeg_without_credentials_has_none():
    assert c2pa.read_manifest(photo()) is None


def test_signing_failure_keeps_the_image(settings, tmp_path):
    settings.C2PA_CERT_PATH = str(tmp_path / "missing.pem")
    settings.C2PA_KEY_PATH = str(tmp_path / "missing.key")
    original = photo()
    assert c2pa.sign_jpeg_or_keep(original, ASSERTION) == original


def test_the_worker_reports_a_submitted_jpegs_credentials(alice, process, monkeypatch, tmp_path):
    raw = shoot(tmp_path, sensor_seed=3, shot=2, size=(256, 256))
    signed = c2pa.sign_jpeg(small_jpeg(), {"note": "a partner's capture app"})
    v = submit(alice, process, monkeypatch, raw, jpeg=signed)
    summary = v.image_metadata["c2pa"]
    assert summary["validation_state"] == "Valid"
    assert summary["signer"]["common_name"].startswith("Lumethic Verification Signer")
    assert summary["claim_generator"].startswith("Lumethic")
    assert summary["actions"] == [
        {"action": "c2pa.opened"},
        {"action": "c2pa.edited", "softwareAgent": "Lumethic"},
    ]


def test_an_invalid_manifest_is_reported_and_the_verification_completes(
    alice, process, monkeypatch, tmp_path
):
    raw = shoot(tmp_path, sensor_seed=3, shot=2, size=(256, 256))
    broken = bytearray(c2pa.sign_jpeg(small_jpeg(), {"note": "x"}))
    broken[-300] ^= 0xFF
    v = submit(alice, process, monkeypatch, raw, jpeg=bytes(broken))
    assert v.status == "completed"
    assert v.image_metadata["c2pa"]["validation_state"] == "Invalid"


def test_a_plain_jpeg_reports_no_credentials(alice, process, monkeypatch, tmp_path):
    v = submit(alice, process, monkeypatch, shoot(tmp_path, sensor_seed=3, shot=2, size=(256, 256)))
    assert v.image_metadata["c2pa"] == {"present": False}
