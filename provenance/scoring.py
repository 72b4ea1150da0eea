"""security_score (0..1): attestation validity, device integrity and forensic integrity.

    A = 1 if a valid device signature covers this RAW, else 0
    D = device integrity, counted only when A = 1: 1.0 when the platform's verdict is
        "pass" with no root/jailbreak indicator, 0.5 when the verdict is "unknown" with
        none, 0.0 with any indicator or a "fail" verdict
    F = the engine's integrity_score (is the RAW genuine sensor data?), 0 until known

    score = 0.3 A + 0.2 A D + 0.5 F, capped at 0.25 when the verdict is not authentic.

Before the analysis, F is unknown and the score is the provisional 0.3 A + 0.2 A D,
so a client sees at once what the attestation is worth; the worker recomputes it.
"""

from __future__ import annotations

W_ATTESTATION = 0.3
W_DEVICE = 0.2
W_FORENSIC = 0.5
NOT_AUTHENTIC_CAP = 0.25


def device_integrity(*, verdict: str, indicators: list | None) -> float:
    if indicators or verdict == "fail":
        return 0.0
    return 1.0 if verdict == "pass" else 0.5


def security_score(
    *,
    attestation_valid: bool,
    device: float,
    integrity: float | None,
    authentic: bool | None,
) -> float:
    a = 1.0 if attestation_valid else 0.0
    score = W_ATTESTATION * a + W_DEVICE * a * device
    if integrity is not None:
        score += W_FORENSIC * min(max(float(integrity), 0.0), 1.0)
    if authentic is False:
        score = min(score, NOT_AUTHENTIC_CAP)
    return round(score, 4)
