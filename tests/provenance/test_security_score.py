"""security_score = 0.3 A + 0.2 A D + 0.5 F, capped at 0.25 when not authentic."""

from __future__ import annotations

import pytest

from provenance.scoring import device_integrity, security_score
from tests.provenance.cameras import shoot
from tests.provenance.conftest import payload_for, sha256_file
from tests.provenance.engine import submit


@pytest.mark.parametrize(
    ("valid", "device", "integrity", "authentic", "expected"),
    [
        (True, 1.0, 1.0, True, 1.0),
        (True, 1.0, None, None, 0.5),
        (True, 0.0, 0.8, True, 0.7),
        (False, 1.0, 0.8, True, 0.4),
        (False, 0.0, None, None, 0.0),
        (True, 1.0, 0.9, False, 0.25),
    ],
)
def test_the_formula(valid, device, integrity, authentic, expected):
    assert security_score(
        attestation_valid=valid, device=device, integrity=integrity, authentic=authentic
    ) == pytest.approx(expected)


def test_device_integrity_from_the_platform_verdict():
    assert device_integrity(verdict="pass", indicators=[]) == 1.0
    assert device_integrity(verdict="unknown", indicators=[]) == 0.5
    assert device_integrity(verdict="pass", indicators=["frida"]) == 0.0
    assert device_integrity(verdict="fail", indicators=[]) == 0.0


def test_the_worker_recomputes_the_score_with_the_forensic_integrity(
    alice, attest, process, monkeypatch, tmp_path
):
    raw = shoot(tmp_path, sensor_seed=3, shot=2, size=(256, 256))
    attestation = attest(payload_for(sha256_file(raw))).json()
    v = submit(alice, process, monkeypatch, raw, attestation_id=attestation["id"], integrity=0.8)
    assert v.security_score == pytest.approx(0.9)
    plain = submit(alice, process, monkeypatch, raw, integrity=0.8)
    assert plain.security_score == pytest.approx(0.4)
    forged = submit(alice, process, monkeypatch, raw, result=False, integrity=0.8)
    assert forged.security_score == pytest.approx(0.25)
