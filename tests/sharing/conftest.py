"""Sharing fixtures: finished verifications built directly in storage (fast), an
extra member of alice's account, an invitee, and helpers for the share API."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from lumethic.models import Membership, User
from tests.conftest import Persona, make_persona
from verifications.models import Status, Verification, VerificationResult

DATA = Path(__file__).resolve().parent.parent / "data"
GPS_JPEG = DATA / "oiio_tahoe-gps.jpg"
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)


def photo_jpeg(width: int = 640, height: int = 480, seed: int = 3) -> bytes:
    """A photo-like JPEG: smooth gradients, edges and some texture."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r = 128 + 100 * np.sin(x / 37.0) * np.cos(y / 53.0)
    g = 90 + 0.25 * x % 160
    b = 60 + 120 * ((x // 40 + y // 40) % 2)
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 6, (height, width, 3))
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # noqa: ANN001
    # Personas are made per test; a deliberately slow hasher would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _save(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def _small(data: bytes, size: tuple[int, int], fmt: str = "JPEG") -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        out = im.convert("RGB").resize(size)
        buf = io.BytesIO()
        out.save(buf, fmt)
        return buf.getvalue()


def make_verification(
    persona: Persona,
    *,
    status: str = Status.COMPLETED,
    result: bool = True,
    jpeg: bytes | None = None,
    gps: tuple[float, float] | None = None,
) -> Verification:
    """A verification as the worker leaves it, with every derived image in storage."""
    jpeg = jpeg if jpeg is not None else photo_jpeg()
    prefix = f"uploads/{persona.account.pk}"
    completed = status == Status.COMPLETED
    with Image.open(io.BytesIO(jpeg)) as im:
        w, h = im.size
    rw, rh = (min(w, 512), round(min(w, 512) * h / w))
    v = Verification.objects.create(
        account=persona.account,
        created_by=persona.user,
        name="harbour-at-dawn",
        status=status,
        result=result if completed else None,
        result_confidence=0.93 if completed else None,
        raw_file=_save(f"{prefix}/raw.dng", b"II*\x00 not really a raw"),
        image_file=_save(f"{prefix}/image.jpg", jpeg),
        raw_format="DNG",
        raw_photo_hash="a" * 64,
        image_photo_hash=f"{abs(hash(jpeg)):064x}"[-64:],
        raw_metadata={
            "lens": "SynthLens 35mm",
            "iso": 200,
            "exposure_time": 0.004,
            "f_number": 5.6,
        },
        rendition_info={"registered": True, "summary": "crop to 91 % of the frame"},
        rendition_corrected_info={
            "summary": "+0.3 EV, warmer WB",
            "exposure_ev": 0.3,
            "saturation": 1.02,
        },
        regions=[] if result else [{"kind": "added", "box": [1, 2, 3, 4], "area_share": 0.01}],
        camera_make="SynthCam",
        camera_model="SynthCam S1",
        captured_at=timezone.now() - timezone.timedelta(days=3) if completed else None,
        completed_at=timezone.now() if completed else None,
        capture_gps_latitude=gps[0] if gps else None,
        capture_gps_longitude=gps[1] if gps else None,
    )
    if completed:
        v.thumbnail = _save(f"derived/{v.pk}/thumbnail.jpg", _small(jpeg, (256, 192)))
        v.rendition_image = _save(f"derived/{v.pk}/registered.jpg", _small(jpeg, (rw, rh)))
        v.heatmap_image = _save(f"derived/{v.pk}/heatmap.png", _small(jpeg, (rw, rh), "PNG"))
        v.save()
        VerificationResult.objects.create(
            verification=v,
            verificator_id="raw_integrity",
            result=True,
            confidence_score=0.99,
            details={"explanation": "The RAW's layout and levels are those of a real sensor."},
            position=0,
        )
        VerificationResult.objects.create(
            verification=v,
            verificator_id="local_tamper",
            result=result,
            confidence_score=0.93,
            details={
                "explanation": "No part of the picture differs from the RAW beyond global edits."
                if result
                else "One area was pasted in that the RAW does not contain."
            },
            position=1,
        )
    return v


@pytest.fixture
def verification(alice: Persona) -> Verification:
    return make_verification(alice)


@pytest.fixture
def gps_verification(alice: Persona, tmp_path: Path) -> Verification:
    copy = tmp_path / "gps.jpg"
    shutil.copy(GPS_JPEG, copy)
    return make_verification(alice, jpeg=copy.read_bytes(), gps=(39.09, -120.03))


@pytest.fixture
def make_v() -> Callable[..., Verification]:
    return make_verification


@pytest.fixture
def alice_colleague(alice: Persona) -> User:
    """A second member of alice's account."""
    user = User.objects.create_user(email="colleague@example.com", password="correct-horse-battery")
    Membership.objects.create(user=user, account=alice.account)
    return user


@pytest.fixture
def carol(db) -> Persona:
    return make_persona("carol@example.net")


@pytest.fixture
def browser_client() -> APIClient:
    """An anonymous web visitor with an ordinary browser user agent."""
    return APIClient(HTTP_USER_AGENT=BROWSER_UA)


def share(persona: Persona, verification: Verification, access: str = "anyone_with_link") -> dict:
    response = persona.client.post(
        f"/v1/verifications/{verification.pk}/share", {"access_type": access}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def page_path(share_body: dict) -> str:
    return "/s/" + share_body["share_url"].rsplit("/s/", 1)[1]


@pytest.fixture
def no_invite_emails(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record invitation e-mails handed to the worker instead of queueing them."""
    calls: list[int] = []
    monkeypatch.setattr("sharing.services.enqueue_invite_email", calls.append)
    return calls
