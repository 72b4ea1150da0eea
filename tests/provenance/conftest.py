"""Provenance fixtures: a capture device with an Ed25519 key, and signed payloads."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provenance.signing import canonical_json


@dataclass
class Device:
    key: Ed25519PrivateKey
    id: str = ""

    @property
    def public_b64(self) -> str:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode()

    def sign(self, payload: dict) -> str:
        return base64.b64encode(self.key.sign(canonical_json(payload))).decode()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def payload_for(raw_sha256: str, **overrides: object) -> dict:
    payload = {
        "version": 1,
        "raw_sha256": raw_sha256,
        "captured_at": "2024-06-01T12:00:00Z",
        "sequence_number": 41,
        "gps": {"latitude": 48.8584, "longitude": 2.2945},
        "integrity": {"verdict": "pass", "jailbreak_indicators": []},
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def device(alice) -> Device:  # noqa: ANN001
    dev = Device(Ed25519PrivateKey.generate())
    response = alice.client.post(
        "/v1/attestations/devices",
        {"public_key": dev.public_b64, "name": "Alice's phone", "platform": "android"},
        format="json",
    )
    assert response.status_code == 201, response.content
    dev.id = response.json()["id"]
    return dev


@pytest.fixture
def attest(alice, device):  # noqa: ANN001, ANN201
    """POST a signed attestation as alice; returns the response."""

    def post(payload: dict, *, signature: str | None = None, client=None, device_id=None):  # noqa: ANN001, ANN202
        body = {
            "device_id": device_id or device.id,
            "payload": payload,
            "signature": signature if signature is not None else device.sign(payload),
        }
        return (client or alice.client).post("/v1/attestations/", body, format="json")

    return post
