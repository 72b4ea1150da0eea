"""create_verification with an attestation_id: 404, 422 file hash mismatch, attested fields."""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lumethic.models import MonthlyUsage
from tests.provenance.conftest import Device, payload_for, sha256_file
from verifications.models import Verification


def _create(persona, upload, attestation_id):  # noqa: ANN001, ANN202
    body = upload() | {"attestation_id": str(attestation_id)}
    return persona.client.post("/v1/verifications/", body, format="multipart")


def test_a_valid_attestation_fills_the_attested_fields(alice, attest, device, upload, pair_files):
    raw_hash = sha256_file(pair_files[0])
    attestation = attest(payload_for(raw_hash)).json()
    response = _create(alice, upload, attestation["id"])
    assert response.status_code == 201, response.content
    # Provisional score before analysis: 0.3 (valid signature) + 0.2 (clean device).
    assert response.json()["security_score"] == 0.5
    v = Verification.objects.get(pk=response.json()["id"])
    assert str(v.attestation_id) == attestation["id"]
    assert v.attestation_validated is True
    assert v.device_fingerprint_id == attestation["device_fingerprint_id"]
    assert v.sequence_number == 41
    assert (v.capture_gps_latitude, v.capture_gps_longitude) == (48.8584, 2.2945)
    assert v.jailbreak_indicators == []
    detail = alice.client.get(f"/v1/verifications/{v.pk}").json()
    assert detail["attestation_validated"] is True
    assert detail["device_fingerprint_id"] == attestation["device_fingerprint_id"]


def test_a_rooted_device_lowers_the_security_score(alice, attest, upload, pair_files):
    payload = payload_for(
        sha256_file(pair_files[0]),
        integrity={"verdict": "fail", "jailbreak_indicators": ["su_binary", "magisk"]},
    )
    response = _create(alice, upload, attest(payload).json()["id"])
    assert response.json()["security_score"] == 0.3
    v = Verification.objects.get(pk=response.json()["id"])
    assert v.jailbreak_indicators == ["su_binary", "magisk"]


def test_a_replayed_attestation_for_another_raw_is_422_file_hash_mismatch(
    alice, attest, upload, pair_files
):
    attestation = attest(payload_for("0" * 64)).json()  # signed for some other RAW
    response = _create(alice, upload, attestation["id"])
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "raw"], "msg": "file hash mismatch", "type": "file_hash_mismatch"}
    ]
    assert not Verification.objects.exists()
    usage = MonthlyUsage.objects.filter(account=alice.account).first()
    assert usage is None or usage.count == 0


def test_a_forged_attestation_gives_a_verification_that_is_not_validated(
    alice, attest, upload, pair_files
):
    payload = payload_for(sha256_file(pair_files[0]))
    forged = attest(payload, signature=Device(Ed25519PrivateKey.generate()).sign(payload)).json()
    response = _create(alice, upload, forged["id"])
    assert response.status_code == 201
    assert response.json()["security_score"] == 0.0
    v = Verification.objects.get(pk=response.json()["id"])
    assert v.attestation_validated is False
    # Nothing an unverified signature claims is copied onto the verification.
    assert v.sequence_number is None and v.capture_gps_latitude is None
    assert v.device_fingerprint_id is None


def test_an_unknown_attestation_is_404(alice, upload):
    response = _create(alice, upload, uuid.uuid4())
    assert response.status_code == 404
    assert response.json() == {"detail": "Attestation not found."}


def test_another_accounts_attestation_is_404(bob, attest, upload, pair_files):
    attestation = attest(payload_for(sha256_file(pair_files[0]))).json()
    response = _create(bob, upload, attestation["id"])
    assert response.status_code == 404
    assert not Verification.objects.exists()
