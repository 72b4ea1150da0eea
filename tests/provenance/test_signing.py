"""Canonical JSON (RFC 8785) and Ed25519 verification of device payloads."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provenance import signing
from tests.provenance.conftest import Device


def test_keys_are_sorted_and_whitespace_dropped():
    assert signing.canonical_json({"b": 1, "a": [True, None, "é"]}) == (
        '{"a":[true,null,"é"],"b":1}'.encode()
    )


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.0, "1"),
        (48.8584, "48.8584"),
        (-0.5, "-0.5"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (0.1, "0.1"),
    ],
)
def test_numbers_take_their_shortest_ecmascript_form(number, text):
    assert signing.canonical_json(number) == text.encode()


def test_nan_cannot_be_signed():
    with pytest.raises(ValueError):
        signing.canonical_json(float("nan"))


def test_a_signature_verifies_only_for_its_key_and_payload():
    device = Device(Ed25519PrivateKey.generate())
    raw = signing.load_public_key(device.public_b64)
    payload = {"raw_sha256": "ab" * 32, "sequence_number": 3}
    signature = signing.decode_signature(device.sign(payload))
    assert signature is not None and signing.verify(raw, signature, payload)
    assert not signing.verify(raw, signature, {**payload, "sequence_number": 4})
    other = signing.load_public_key(Device(Ed25519PrivateKey.generate()).public_b64)
    assert not signing.verify(other, signature, payload)


def test_keys_and_signatures_are_accepted_as_hex_too():
    device = Device(Ed25519PrivateKey.generate())
    raw = signing.load_public_key(device.public_b64)
    assert signing.load_public_key(raw.hex()) == raw
    sig = signing.decode_signature(device.sign({"a": 1}))
    assert signing.decode_signature(sig.hex()) == sig
    assert signing.decode_signature("too short") is None
