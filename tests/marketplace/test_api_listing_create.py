from __future__ import annotations

import uuid

import pytest

from lumethic.models import Plan
from marketplace.models import Listing
from tests.marketplace.conftest import LISTING_BODY, make_verification
from verifications.models import Status

URL = "/v1/marketplace/listings"


def create(persona, verification_id, body=None):  # noqa: ANN001, ANN201
    return persona.client.post(
        f"{URL}?verification_id={verification_id}", body or LISTING_BODY, format="json"
    )


def test_a_paid_seller_lists_a_completed_authentic_verification(seller, verification):
    response = create(seller, verification.pk)
    assert response.status_code == 201
    body = response.json()
    assert body["verification_id"] == str(verification.pk)
    assert body["title"] == "Sunset over Lake Zurich"
    assert body["is_active"] is True
    assert body["currency"] == "usd"
    assert body["price_personal_cents"] == 1000
    assert body["price_editorial_cents"] is None
    assert body["license_terms_extended"] is None
    assert body["total_sales"] == 0 and body["total_revenue_cents"] == 0
    assert set(body) == {
        "id", "verification_id", "title", "description", "is_active", "currency",
        "price_personal_cents", "price_commercial_cents", "price_editorial_cents",
        "price_extended_cents", "license_terms_personal", "license_terms_commercial",
        "license_terms_editorial", "license_terms_extended", "total_sales",
        "total_revenue_cents", "created_at", "updated_at",
    }  # fmt: skip
    assert body["created_at"].endswith("Z")
    assert Listing.objects.get(pk=body["id"]).account == seller.account


def test_the_real_engines_authentic_verdict_can_be_listed(completed_verification, alice):
    assert completed_verification.result is True
    alice.account.plan = Plan.PROFESSIONAL
    alice.account.save()
    assert create(alice, completed_verification.pk).status_code == 201


def test_a_free_plan_cannot_list_and_gets_402(alice):
    verification = make_verification(alice.account)
    response = create(alice, verification.pk)
    assert response.status_code == 402
    assert "paid plan" in response.json()["detail"]
    assert not Listing.objects.exists()


def test_another_accounts_verification_is_404(seller, buyer):
    theirs = make_verification(buyer.account)
    response = create(seller, theirs.pk)
    assert response.status_code == 404
    assert response.json() == {"detail": "Verification not found."}


def test_an_unknown_verification_is_404(seller):
    assert create(seller, uuid.uuid4()).status_code == 404


@pytest.mark.parametrize("status", [Status.QUEUED, Status.IN_PROGRESS, Status.FAILED])
def test_an_unfinished_verification_is_403_with_the_reason(seller, status):
    verification = make_verification(seller.account, status=status, result=None)
    response = create(seller, verification.pk)
    assert response.status_code == 403
    assert "completed" in response.json()["detail"]


@pytest.mark.parametrize("result", [False, None])
def test_a_verification_not_found_authentic_is_403(seller, result):
    verification = make_verification(seller.account, result=result)
    response = create(seller, verification.pk)
    assert response.status_code == 403
    assert "authentic" in response.json()["detail"]


def test_a_missing_verification_id_is_422_in_query(seller):
    response = seller.client.post(URL, LISTING_BODY, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "verification_id"]


def test_a_malformed_verification_id_is_422(seller):
    response = create(seller, "not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "verification_id"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"title": ""}, "title"),
        ({"currency": "xyz"}, "currency"),
        ({"currency": "btc"}, "currency"),
        ({"price_personal_cents": -5}, "price_personal_cents"),
        ({"price_personal_cents": 0}, "price_personal_cents"),
        ({"price_commercial_cents": "lots"}, "price_commercial_cents"),
        ({"price_extended_cents": 100_000_000}, "price_extended_cents"),
    ],
)
def test_bad_fields_are_422_naming_the_field(seller, verification, patch, field):
    response = create(seller, verification.pk, {**LISTING_BODY, **patch})
    assert response.status_code == 422
    assert ["body", field] in [item["loc"] for item in response.json()["detail"]]


def test_a_missing_title_is_422(seller, verification):
    body = {k: v for k, v in LISTING_BODY.items() if k != "title"}
    response = create(seller, verification.pk, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]


@pytest.mark.parametrize(
    "currency",
    "usd cad mxn eur gbp chf sek nok dkk pln czk huf ron bgn aud nzd jpy sgd hkd krw cny inr "
    "thb myr brl aed zar ils".split(),
)
def test_every_contract_currency_is_accepted(seller, verification, currency):
    response = create(seller, verification.pk, {**LISTING_BODY, "currency": currency})
    assert response.status_code == 201
    assert response.json()["currency"] == currency


def test_zero_decimal_prices_are_kept_in_the_smallest_unit(seller, verification):
    body = {**LISTING_BODY, "currency": "jpy", "price_personal_cents": 1500}
    response = create(seller, verification.pk, body)
    assert response.json()["price_personal_cents"] == 1500


def test_without_credentials_it_is_401(anon, verification):
    response = anon.post(f"{URL}?verification_id={verification.pk}", LISTING_BODY, format="json")
    assert response.status_code == 401
