"""Marketplace fixtures: a seller on a paid plan, listed photos built in code,
the fake Stripe server, and Stripe-signed webhook deliveries."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from lumethic.models import Plan
from marketplace.models import Listing
from tests.conftest import Persona
from tests.fakes.stripe_server import (
    PRICE_BASIC,
    PRICE_PROFESSIONAL,
    TEST_SECRET_KEY,
    TEST_WEBHOOK_SECRET,
    FakeStripe,
    event,
    sign,
)
from verifications.models import Status, Verification, VerificationResult

WEBHOOK = "/v1/marketplace/webhooks/stripe"
LISTING_BODY = {
    "title": "Sunset over Lake Zurich",
    "description": "Authenticated landscape photo",
    "currency": "usd",
    "price_personal_cents": 1000,
    "price_commercial_cents": 5000,
    "license_terms_personal": "Personal use only, no redistribution",
    "license_terms_commercial": "Commercial use in marketing materials",
}


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 90, 40)
) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return buf.getvalue()


def make_verification(
    account, *, status: str = Status.COMPLETED, result: bool | None = True, thumbnail: bool = True
) -> Verification:  # noqa: ANN001
    """A verification as the engine leaves it, without running the engine."""
    v = Verification(
        account=account,
        name="lake",
        status=status,
        result=result,
        result_confidence=0.97 if result else 0.2,
        raw_photo_hash="a" * 64,
        image_photo_hash="b" * 64,
        camera_make="Nikon",
        camera_model="Z 9",
        completed_at=timezone.now() if status == Status.COMPLETED else None,
    )
    v.raw_file.save("raw.dng", ContentFile(b"II*\0fake-raw"), save=False)
    v.image_file.save("original.jpg", ContentFile(jpeg_bytes((640, 480))), save=False)
    if thumbnail:
        v.thumbnail.save("thumb.jpg", ContentFile(jpeg_bytes((160, 120))), save=False)
    v.save()
    if status == Status.COMPLETED:
        VerificationResult.objects.create(
            verification=v,
            verificator_id="raw_integrity",
            result=bool(result),
            confidence_score=0.9,
        )
    return v


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # noqa: ANN001
    # Personas set real passwords; PBKDF2's deliberate slowness only slows the suite here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seller(alice: Persona) -> Persona:
    """Alice, on the Basic plan so she may sell."""
    alice.account.plan = Plan.BASIC
    alice.account.save(update_fields=["plan"])
    return alice


@pytest.fixture
def buyer(bob: Persona) -> Persona:
    return bob


@pytest.fixture
def carol(db) -> Persona:  # noqa: ANN001
    from tests.conftest import make_persona

    return make_persona("carol@example.net")


@pytest.fixture
def verification(seller: Persona) -> Verification:
    return make_verification(seller.account)


@pytest.fixture
def listing(seller: Persona, verification: Verification) -> Listing:
    response = seller.client.post(
        f"/v1/marketplace/listings?verification_id={verification.pk}", LISTING_BODY, format="json"
    )
    assert response.status_code == 201, response.content
    return Listing.objects.get(pk=response.json()["id"])


@pytest.fixture
def fake_stripe(settings) -> Iterator[FakeStripe]:  # noqa: ANN001
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_PRICE_BASIC = PRICE_BASIC
    settings.STRIPE_PRICE_PROFESSIONAL = PRICE_PROFESSIONAL
    yield fake
    fake.stop()


@pytest.fixture
def webhook_secret(settings) -> str:  # noqa: ANN001
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET
    settings.STRIPE_PRICE_BASIC = PRICE_BASIC
    settings.STRIPE_PRICE_PROFESSIONAL = PRICE_PROFESSIONAL
    return TEST_WEBHOOK_SECRET


@pytest.fixture
def deliver(webhook_secret: str) -> Callable[..., Any]:
    """POST an event body to the webhook, signed like Stripe unless told otherwise."""

    def post(body: str, *, signature: str | None = None, client: APIClient | None = None):  # noqa: ANN202
        client = client or APIClient()
        return client.generic(
            "POST",
            WEBHOOK,
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(body),
        )

    return post


@pytest.fixture
def buy(buyer: Persona, fake_stripe: FakeStripe) -> Callable[..., dict]:
    """Start a purchase through the API as the buyer; returns the JSON answer."""

    def start(listing: Listing, license_type: str = "personal") -> dict:
        response = buyer.client.post(
            f"/v1/marketplace/listings/{listing.pk}/purchase",
            {"license_type": license_type},
            format="json",
        )
        assert response.status_code == 200, response.content
        return response.json()

    return start


def session_completed(purchase, **overrides: Any) -> dict:  # noqa: ANN001
    """The checkout.session object Stripe sends when a purchase is paid."""
    obj = {
        "id": purchase.stripe_checkout_session_id or "cs_test_x",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "client_reference_id": str(purchase.pk),
        "metadata": {"purchase_id": str(purchase.pk), "listing_id": str(purchase.listing_id)},
        "amount_total": purchase.price_cents,
        "currency": purchase.currency,
        "payment_intent": "pi_test_" + str(purchase.pk).replace("-", "")[:12],
    }
    obj.update(overrides)
    return obj


def completed_event(purchase, *, event_id: str | None = None, **overrides: Any) -> str:  # noqa: ANN001
    return event(
        "checkout.session.completed", session_completed(purchase, **overrides), event_id=event_id
    )


def as_json(response) -> Any:  # noqa: ANN001
    return json.loads(response.content)
