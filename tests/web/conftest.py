"""Web-page fixtures: a browser-like client logged in as a persona, and rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lumethic.models import Account
from tests.conftest import Persona
from verifications.models import Status, Verification


@pytest.fixture
def web(alice: Persona) -> Client:
    client = Client()
    client.force_login(alice.user)
    return client


@pytest.fixture
def make_verification() -> Callable[..., Verification]:
    """A verification row without files or engine run, for list and page tests."""

    def build(account: Account, name: str = "photo", **fields: object) -> Verification:
        defaults = {
            "status": Status.COMPLETED,
            "result": True,
            "result_confidence": 0.9,
            "raw_file": f"uploads/{account.pk}/x.dng",
            "image_file": f"uploads/{account.pk}/x.jpg",
            "raw_photo_hash": "0" * 64,
            "image_photo_hash": "1" * 64,
        }
        return Verification.objects.create(account=account, name=name, **{**defaults, **fields})

    return build
