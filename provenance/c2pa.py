"""Content Credentials (C2PA): read a submitted JPEG's manifest; sign our verdict into ours.

Reading never raises: a JPEG without credentials gives None, and an invalid,
tampered or unreadable manifest is reported (validation state, failure codes),
because a broken manifest is evidence to show, not a reason to stop the analysis.

Signing uses the certificate chain and key named by settings C2PA_CERT_PATH and
C2PA_KEY_PATH. Without them a development CA and an ES256 leaf are generated once
into VAR_DIR/c2pa/: C2PA validators reject self-signed leaves and want a leaf with
digitalSignature usage and an EKU such as emailProtection, hence CA + leaf.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

ASSERTION_LABEL = "com.lumethic.verification"
CLAIM_GENERATOR = "Lumethic"
_lock = threading.Lock()


@dataclass(frozen=True)
class Credentials:
    chain_pem: bytes  # leaf first, then intermediates / CA
    key_pem: bytes
    ca_pem: bytes | None = None  # the dev CA, to trust our own output in tests


# --------------------------------------------------------------------------- reading
def read_manifest(data: bytes, *, trust_anchors: bytes | None = None) -> dict[str, Any] | None:
    """A summary of the JPEG's active C2PA manifest, None when it carries none."""
    import c2pa

    try:
        context = None
        if trust_anchors:
            context = c2pa.Context(
                c2pa.Settings.from_dict({"trust": {"trust_anchors": trust_anchors.decode()}})
            )
        reader = c2pa.Reader.try_create("image/jpeg", io.BytesIO(data), None, context)
    except Exception as exc:  # a manifest so broken the reader cannot even open it
        return {"present": True, "validation_state": "Invalid", "error": str(exc)[:300]}
    if reader is None:
        return None
    try:
        with reader:
            state = reader.get_validation_state()
            results = reader.get_validation_results() or {}
            manifest = reader.get_active_manifest() or {}
            count = len(json.loads(reader.json()).get("manifests") or {})
    except Exception as exc:
        return {"present": True, "validation_state": "Invalid", "error": str(exc)[:300]}
    return summarise(manifest, state, results, count)


def summarise(
    manifest: dict[str, Any], state: str | None, results: dict[str, Any], count: int
) -> dict[str, Any]:
    active = results.get("activeManifest") or {}
    signature = manifest.get("signature_info") or {}
    generator = manifest.get("claim_generator") or ", ".join(
        " ".join(str(g.get(k)) for k in ("name", "version") if g.get(k))
        for g in manifest.get("claim_generator_info") or []
    )
    actions: list[dict[str, Any]] = []
    labels: list[str] = []
    ours = None
    for assertion in manifest.get("assertions") or []:
        label = str(assertion.get("label", ""))
        labels.append(label)
        if label.startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                actions.append(
                    {
                        k: action[k]
                        for k in ("action", "softwareAgent", "digitalSourceType", "when")
                        if k in action
                    }
                )
        if label == ASSERTION_LABEL:
            ours = assertion.get("data")
    return {
        "present": True,
        "validation_state": state or "Unknown",
        "signer": {
            "issuer": signature.get("issuer"),
            "common_name": signature.get("common_name"),
            "algorithm": signature.get("alg"),
            "time": signature.get("time"),
        },
        "claim_generator": generator or None,
        "title": manifest.get("title"),
        "actions": actions,
        "assertions": labels,
        "failures": [f.get("code") for f in active.get("failure") or []],
        "manifest_count": count,
        "lumethic_assertion": ours,
    }


# --------------------------------------------------------------------------- signing
def sign_jpeg(jpeg_bytes: bytes, assertion: dict[str, Any]) -> bytes:
    """The JPEG with a C2PA manifest carrying `assertion`, signed with our credentials."""
    import c2pa

    creds = credentials()
    manifest = {
        "claim_generator_info": [{"name": CLAIM_GENERATOR, "version": "1"}],
        "title": str(assertion.get("title") or "verified.jpg"),
        "format": "image/jpeg",
        "assertions": [
            {"label": ASSERTION_LABEL, "data": assertion},
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.edited",
                            "softwareAgent": CLAIM_GENERATOR,
                            "description": "Verification strip added after a RAW-to-JPEG check.",
                        }
                    ]
                },
            },
        ],
    }
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, creds.chain_pem, creds.key_pem, None)
    )
    # No claim thumbnail: the image itself is the preview, and it would double the size.
    context = c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))
    out = io.BytesIO()
    with c2pa.Builder(manifest, context=context) as builder:
        # An edit of the JPEG we verified: c2pa makes it the parent ingredient (keeping any
        # credentials it already carried) and records the c2pa.opened action first.
        builder.set_intent(c2pa.C2paBuilderIntent.EDIT)
        builder.sign(signer, "image/jpeg", io.BytesIO(jpeg_bytes), out)
    return out.getvalue()


def sign_jpeg_or_keep(jpeg_bytes: bytes, assertion: dict[str, Any]) -> bytes:
    """sign_jpeg, but on any failure the unsigned JPEG (a served image must stay valid)."""
    try:
        return sign_jpeg(jpeg_bytes, assertion)
    except Exception:
        logger.exception("C2PA signing failed; serving the image without Content Credentials")
        return jpeg_bytes


def credentials() -> Credentials:
    cert, key = settings.C2PA_CERT_PATH, settings.C2PA_KEY_PATH
    if cert and key:
        return Credentials(Path(cert).read_bytes(), Path(key).read_bytes())
    return dev_credentials(Path(settings.VAR_DIR) / "c2pa")


def dev_credentials(folder: Path) -> Credentials:
    """A development CA + ES256 leaf, generated once (atomic writes: workers may race)."""
    chain, key, ca = folder / "dev-chain.pem", folder / "dev-key.pem", folder / "dev-ca.pem"
    with _lock:
        if not (chain.exists() and key.exists() and ca.exists()):
            folder.mkdir(parents=True, exist_ok=True)
            # Web and worker processes may both get here first: one generates, under a file lock,
            # so a key never ends up beside another process's certificate.
            with open(folder / ".lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not (chain.exists() and key.exists() and ca.exists()):
                    for path, blob in zip((ca, key, chain), _generate_dev_chain(), strict=True):
                        tmp = path.with_suffix(f".{os.getpid()}.tmp")
                        tmp.write_bytes(blob)
                        tmp.chmod(0o600)
                        os.replace(tmp, path)
    return Credentials(chain.read_bytes(), key.read_bytes(), ca.read_bytes())


def _generate_dev_chain() -> tuple[bytes, bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Lumethic (development)"),
            ]
        )

    def usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        )

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name("Lumethic Development CA"))
        .issuer_name(name("Lumethic Development CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Lumethic Verification Signer (development)"))
        .issuer_name(ca_cert.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem)
    key_pem = leaf_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return ca_pem, key_pem, leaf.public_bytes(pem) + ca_pem


def verification_assertion(verification: Any, *, share_url: str | None) -> dict[str, Any]:
    """Our assertion for a verification: what we checked, what we found, where to see it."""
    return {
        "verification_id": str(verification.pk),
        "short_code": verification.short_code,
        "verdict": "authentic" if verification.result else "not_authentic",
        "confidence": verification.result_confidence,
        "raw_sha256": verification.raw_photo_hash,
        "image_sha256": verification.image_photo_hash,
        "share_url": share_url,
        "verified_at": (verification.completed_at or verification.updated_at).isoformat(),
        "title": f"{verification.name}-verified.jpg",
    }
