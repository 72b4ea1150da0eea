"""POST /v1/attestations/, GET /v1/attestations/{id}, POST /v1/attestations/devices."""

from __future__ import annotations

import base64
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provenance.models import Attestation
from tests.provenance.conftest import Device, payload_for

RAW = "ab" * 32


def test_a_device_key_registers_once_per_account(alice, device):
    again = alice.client.post(
        "/v1/attestations/devices", {"public_key": device.public_b64}, format="json"
    )
    assert again.status_code == 201
    assert again.json()["id"] == device.id
    assert len(again.json()["fingerprint"]) == 64


def test_a_pem_device_key_is_accepted(alice):
    from cryptography.hazmat.primitives import serialization

    pem = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    response = alice.client.post(
        "/v1/attestations/devices", {"public_key": pem.decode()}, format="json"
    )
    assert response.status_code == 201


def test_a_key_that_is_not_ed25519_is_422_naming_public_key(alice):
    response = alice.client.post(
        "/v1/attestations/devices",
        {"public_key": base64.b64encode(b"short").decode()},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "public_key"]


def test_device_registration_needs_a_key(anon):
    response = anon.post("/v1/attestations/devices", {"public_key": "x"}, format="json")
    assert response.status_code == 401


def test_a_correctly_signed_attestation_is_stored_validated(alice, device, attest):
    response = attest(payload_for(RAW))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["validated"] is True
    assert body["validation_error"] == ""
    assert body["raw_sha256"] == RAW
    assert body["sequence_number"] == 41
    assert body["gps_latitude"] == 48.8584
    assert body["device_id"] == device.id
    fetched = alice.client.get(f"/v1/attestations/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["payload"] == payload_for(RAW)


def test_key_order_in_transit_does_not_break_the_signature(attest, device):
    payload = payload_for(RAW)
    reordered = dict(reversed(list(payload.items())))
    response = attest(reordered, signature=device.sign(payload))
    assert response.json()["validated"] is True


def test_a_forged_signature_is_stored_as_not_validated(attest):
    forger = Device(Ed25519PrivateKey.generate())
    response = attest(payload_for(RAW), signature=forger.sign(payload_for(RAW)))
    assert response.status_code == 201
    assert response.json()["validated"] is False
    assert "does not verify" in response.json()["validation_error"]


def test_a_payload_altered_after_signing_is_not_validated(attest, device):
    signed = payload_for(RAW)
    tampered = payload_for(RAW, gps={"latitude": 40.0, "longitude": -74.0})
    response = attest(tampered, signature=device.sign(signed))
    assert response.json()["validated"] is False


def test_reusing_a_sequence_number_for_another_raw_is_not_validated(attest):
    assert attest(payload_for(RAW)).json()["validated"] is True
    second = attest(payload_for("cd" * 32))
    assert second.json()["validated"] is False
    assert "sequence number" in second.json()["validation_error"]


def test_posting_the_same_attestation_twice_returns_the_first(attest):
    first, second = attest(payload_for(RAW)), attest(payload_for(RAW))
    assert first.json()["id"] == second.json()["id"]
    assert Attestation.objects.count() == 1


def test_a_malformed_signature_is_422(attest):
    response = attest(payload_for(RAW), signature="not-a-signature")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "signature"]


def test_a_bad_payload_field_is_422_naming_it(attest):
    response = attest(payload_for("nothex"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "raw_sha256"]
    missing = attest({"raw_sha256": RAW})
    locs = [item["loc"] for item in missing.json()["detail"]]
    assert ["body", "payload", "captured_at"] in locs
    assert ["body", "payload", "sequence_number"] in locs


def test_another_accounts_device_cannot_attest(bob, attest, device):
    response = attest(payload_for(RAW), client=bob.client)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "device_id"]


def test_another_accounts_attestation_is_404(bob, attest):
    attestation_id = attest(payload_for(RAW)).json()["id"]
    assert bob.client.get(f"/v1/attestations/{attestation_id}").status_code == 404


def test_an_unknown_attestation_is_404_and_a_malformed_id_422(alice):
    assert alice.client.get(f"/v1/attestations/{uuid.uuid4()}").status_code == 404
    response = alice.client.get("/v1/attestations/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "attestation_id"]


def test_attestations_need_a_key(anon):
    assert anon.post("/v1/attestations/", {}, format="json").status_code == 401
    assert anon.get(f"/v1/attestations/{uuid.uuid4()}").status_code == 401


def test_the_openapi_document_lists_the_attestation_endpoints(anon):
    spec = anon.get("/openapi.json").json()
    ops = {
        (method, path): (op["operationId"], op["tags"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }
    tag = ["Attestations"]
    assert ops[("post", "/v1/attestations/")] == ("create_attestation", tag)
    assert ops[("get", "/v1/attestations/{attestation_id}")] == ("get_attestation", tag)
    assert ops[("post", "/v1/attestations/devices")] == ("register_device_key", tag)
    assert {"name": "Attestations"} in spec["tags"]


def test_the_admin_lists_attestations_for_staff(attest, client, django_user_model):
    attest(payload_for(RAW))
    staff = django_user_model.objects.create_superuser(
        email="ops@example.com", password="pw-1234567"
    )
    client.force_login(staff)
    for model in ("devicekey", "attestation", "camerafingerprint"):
        assert client.get(f"/admin/provenance/{model}/").status_code == 200


def test_a_pem_key_of_another_algorithm_is_422(alice):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    response = alice.client.post(
        "/v1/attestations/devices", {"public_key": pem.decode()}, format="json"
    )
    assert response.status_code == 422
    assert "Ed25519" in response.json()["detail"][0]["msg"]
    garbled = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    response = alice.client.post("/v1/attestations/devices", {"public_key": garbled}, format="json")
    assert response.status_code == 422
