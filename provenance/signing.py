"""Ed25519 device keys and the canonical JSON that devices sign.

Canonical form (RFC 8785, JCS, for the values a payload may hold): object keys sorted
by code point, no whitespace, UTF-8, no NaN/Infinity; integers as integers; other
numbers in ECMAScript's shortest round-trip form (Python's repr, with the exponent
spelt `1e-7` rather than `1e-07`). Devices sign these bytes; we recompute them from
the posted object, so key order or spacing in transit never breaks a signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class PublicKeyError(ValueError):
    """The posted public key is not an Ed25519 key we can read."""


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("NaN and Infinity cannot be signed")
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return text


def canonical_json(value: Any) -> bytes:
    """The exact bytes a device signs for `value` (JCS)."""
    return _encode(value).encode("utf-8")


def _encode(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, dict):
        # JCS sorts by UTF-16 code units; for the BMP that is code-point order.
        items = sorted(value.items(), key=lambda kv: str(kv[0]).encode("utf-16-be"))
        return (
            "{"
            + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{_encode(v)}" for k, v in items)
            + "}"
        )
    raise TypeError(f"{type(value).__name__} cannot be signed")


def load_public_key(text: str) -> bytes:
    """32 raw key bytes from base64/base64url/hex of the raw key, or a PEM/DER SPKI."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise PublicKeyError("Not a readable PEM public key.") from exc
    else:
        raw = _decode_bytes(text)
        if raw is None:
            raise PublicKeyError("Give the key as base64, hex or PEM.")
        if len(raw) == 32:
            return raw
        try:
            key = serialization.load_der_public_key(raw)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise PublicKeyError("An Ed25519 public key is 32 bytes.") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise PublicKeyError("Only Ed25519 public keys are accepted.")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _decode_bytes(text: str) -> bytes | None:
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    padded = text + "=" * (-len(text) % 4)
    for decoder in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return (
                decoder(padded, validate=True) if decoder is base64.b64decode else decoder(padded)
            )
        except (binascii.Error, ValueError):
            continue
    return None


def decode_signature(text: str) -> bytes | None:
    """64 signature bytes from hex (128 digits) or base64/base64url, else None."""
    text = (text or "").strip()
    raw = None
    if len(text) == 128:  # hex first: hex digits are valid base64 too
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        raw = _decode_bytes(text)
    return raw if raw is not None and len(raw) == 64 else None


def key_fingerprint(raw_key: bytes) -> str:
    return hashlib.sha256(raw_key).hexdigest()


def verify(raw_key: bytes, signature: bytes, payload: Any) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, canonical_json(payload))
    except (InvalidSignature, ValueError):
        return False
    return True
