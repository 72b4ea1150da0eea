"""Shared test fixtures: personas (alice and bob in different accounts), API
clients authenticated by their keys, an isolated media folder, and a
recorder for the worker queue."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from apikeys.services import api_key_create
from lumethic.models import Account, Plan, User
from lumethic.services import account_create

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@dataclass
class Persona:
    user: User
    account: Account
    key: str
    client: APIClient
    password: str = "correct-horse-battery"


def make_persona(email: str, plan: str = Plan.FREE) -> Persona:
    account, user = account_create(email=email, password="correct-horse-battery", plan=plan)
    _obj, raw = api_key_create(account=account, user=user, description="test")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    return Persona(user=user, account=account, key=raw, client=client)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    media = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": "/media/"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield media
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record verifications sent to the worker instead of starting a cluster.

    Tests that need the analysis call `process` (below) to run the real
    pipeline in-process, or use the live-server tests for the real worker.
    """
    calls: list[str] = []
    monkeypatch.setattr("verifications.services.enqueue", lambda pk: calls.append(str(pk)))
    return calls


@pytest.fixture
def alice(db) -> Persona:
    return make_persona("alice@example.com")


@pytest.fixture
def bob(db) -> Persona:
    return make_persona("bob@example.org")


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def pair_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One small authentic synthetic DNG + JPEG pair, made once per session."""
    from tests.factories.dng import make_pair

    return make_pair(tmp_path_factory.mktemp("pair"), size=(384, 256), source="astronaut", seed=1)


@pytest.fixture
def upload(pair_files: tuple[Path, Path]) -> Callable[..., dict]:
    """Multipart body for create_verification from the session pair (or given paths)."""

    def build(raw: Path | None = None, image: Path | None = None) -> dict:
        raw_path, image_path = raw or pair_files[0], image or pair_files[1]
        return {
            "raw": ContentFile(raw_path.read_bytes(), name=raw_path.name),
            "image": ContentFile(image_path.read_bytes(), name=image_path.name),
        }

    return build


@pytest.fixture
def process(settings) -> Callable[[str], str]:
    """Run the real worker pipeline (sandboxed engine child) on one verification."""
    from verifications.pipeline import verification_process

    def run(verification_id: object) -> str:
        return verification_process(verification_id=str(verification_id))

    return run


@pytest.fixture
def completed_verification(alice: Persona, upload, process):  # noqa: ANN201
    """A verification of alice's that the real engine has completed."""
    from verifications.models import Verification

    response = alice.client.post("/v1/verifications/", upload(), format="multipart")
    assert response.status_code == 201, response.content
    process(response.json()["id"])
    return Verification.objects.get(pk=response.json()["id"])
