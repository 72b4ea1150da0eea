from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from apikeys.models import ApiKey
from lumethic.models import Account


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client


def test_listing_keys_shows_only_the_callers_account_and_never_a_secret(alice, bob):
    response = alice.client.get("/v1/apikeys/")
    assert response.status_code == 200
    keys = response.json()
    assert [k["account_id"] for k in keys] == [str(alice.account.pk)]
    assert set(keys[0]) == {
        "id",
        "prefix",
        "account_id",
        "user_id",
        "description",
        "expires_at",
        "is_active",
        "last_used_at",
        "created_at",
        "updated_at",
    }
    assert "raw_key" not in keys[0]
    assert alice.key.startswith(keys[0]["prefix"])


def test_a_created_key_is_shown_once_stored_hashed_and_works(alice):
    response = alice.client.post(
        "/v1/apikeys/",
        {"account_id": str(alice.account.pk), "description": "ci", "expires_in_days": 30},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    raw = body["raw_key"]
    assert raw.startswith("lum_live_") and body["prefix"] == raw.split(".")[0]
    stored = ApiKey.objects.get(pk=body["id"])
    assert raw not in stored.hashed_key and stored.hashed_key.startswith("sha512$$")
    assert stored.expires_at > timezone.now() + dt.timedelta(days=29)
    assert client_with(raw).get("/v1/verifications/").status_code == 200
    listed = alice.client.get("/v1/apikeys/").json()
    assert all("raw_key" not in k for k in listed)


def test_creating_a_key_for_an_account_you_do_not_belong_to_is_403(alice, bob):
    response = alice.client.post("/v1/apikeys/", {"account_id": str(bob.account.pk)}, format="json")
    assert response.status_code == 403
    assert "member" in response.json()["detail"]


def test_creating_a_key_validates_the_body_with_422(alice):
    response = alice.client.post(
        "/v1/apikeys/", {"account_id": "nope", "expires_in_days": 0}, format="json"
    )
    assert response.status_code == 422
    locs = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert locs == {("body", "account_id"), ("body", "expires_in_days")}


def test_a_member_of_two_accounts_can_mint_a_key_for_either(alice, bob):
    second = Account.objects.create(name="Alice studio")
    second.memberships.create(user=alice.user, role="owner")
    response = alice.client.post("/v1/apikeys/", {"account_id": str(second.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["account_id"] == str(second.pk)


def test_revoking_a_key_answers_204_and_the_key_stops_working(alice):
    created = alice.client.post(
        "/v1/apikeys/", {"account_id": str(alice.account.pk)}, format="json"
    ).json()
    response = alice.client.delete(f"/v1/apikeys/{created['id']}")
    assert response.status_code == 204
    assert client_with(created["raw_key"]).get("/v1/verifications/").status_code == 401
    listed = {k["id"]: k for k in alice.client.get("/v1/apikeys/").json()}
    assert listed[created["id"]]["is_active"] is False


def test_revoking_another_accounts_key_is_404_like_a_missing_one(alice, bob):
    bobs = ApiKey.objects.get(account=bob.account)
    other = alice.client.delete(f"/v1/apikeys/{bobs.pk}")
    missing = alice.client.delete("/v1/apikeys/00000000-0000-0000-0000-000000000000")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert ApiKey.objects.get(pk=bobs.pk).is_active


def test_revoking_with_a_malformed_id_is_422_naming_the_path_parameter(alice):
    response = alice.client.delete("/v1/apikeys/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "key_id"]


def test_missing_wrong_and_expired_keys_are_401(alice, anon):
    assert anon.get("/v1/apikeys/").status_code == 401
    assert client_with("lum_live_AAAAAAAA.wrong").get("/v1/apikeys/").status_code == 401
    assert client_with(alice.key + "x").get("/v1/apikeys/").status_code == 401
    ApiKey.objects.filter(account=alice.account).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = alice.client.get("/v1/apikeys/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid, revoked or expired API key."}


def test_using_a_key_records_last_used_at(alice):
    assert ApiKey.objects.get(account=alice.account).last_used_at is None
    alice.client.get("/v1/apikeys/")
    assert ApiKey.objects.get(account=alice.account).last_used_at is not None


def test_a_logged_in_browser_session_is_accepted_instead_of_a_key(alice):
    client = APIClient()
    client.force_login(alice.user)
    assert client.get("/v1/apikeys/").status_code == 200
