"""GET/POST/DELETE /v1/verifications/{id}/share."""

from __future__ import annotations

import base64
import uuid

import pytest

from sharing.models import Share, ShareInvite
from tests.sharing.conftest import make_verification, page_path, share
from verifications.models import Status


def url(v) -> str:  # noqa: ANN001
    return f"/v1/verifications/{v.pk}/share"


def test_sharing_a_completed_verification_returns_the_share(alice, verification):
    body = share(alice, verification, "anyone_with_link")
    assert body["verification_id"] == str(verification.pk)
    assert body["access_type"] == "anyone_with_link"
    assert body["invited_emails"] == []
    assert body["share_url"].startswith("http://127.0.0.1:8000/s/")
    assert set(body) == {"verification_id", "access_type", "share_url", "invited_emails"}


def test_the_share_code_carries_at_least_128_random_bits(alice, verification):
    code = page_path(share(alice, verification))[3:]
    raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    assert len(raw) * 8 >= 128
    other = page_path(share(alice, make_verification(alice)))[3:]
    assert other != code


def test_get_returns_the_current_share_with_invited_emails(alice, verification):
    created = share(alice, verification, "restricted")
    alice.client.post(url(verification) + "/invites", {"email": "x@example.com"}, format="json")
    response = alice.client.get(url(verification))
    assert response.status_code == 200
    assert response.json() == {**created, "invited_emails": ["x@example.com"]}


def test_the_url_is_stable_while_shared_even_when_access_changes(alice, verification):
    first = share(alice, verification, "restricted")
    second = share(alice, verification, "anyone_with_link")
    third = share(alice, verification, "anyone_with_link")
    assert first["share_url"] == second["share_url"] == third["share_url"]
    assert third["access_type"] == "anyone_with_link"


def test_get_on_a_verification_that_is_not_shared_is_404(alice, verification):
    response = alice.client.get(url(verification))
    assert response.status_code == 404
    assert "not shared" in response.json()["detail"]


def test_delete_makes_the_old_url_404_at_once(alice, verification, browser_client):
    body = share(alice, verification)
    assert browser_client.get(page_path(body)).status_code == 200
    response = alice.client.delete(url(verification))
    assert response.status_code == 200
    assert response.json()["detail"]
    assert browser_client.get(page_path(body)).status_code == 404
    assert alice.client.get(url(verification)).status_code == 404


def test_delete_ends_the_invitations(alice, verification):
    share(alice, verification, "restricted")
    alice.client.post(url(verification) + "/invites", {"email": "x@example.com"}, format="json")
    alice.client.delete(url(verification))
    assert not ShareInvite.objects.exists()
    assert share(alice, verification, "restricted")["invited_emails"] == []


def test_delete_when_not_shared_is_harmless(alice, verification):
    response = alice.client.delete(url(verification))
    assert response.status_code == 200
    assert "not shared" in response.json()["detail"]


def test_resharing_issues_a_new_url_and_the_old_one_stays_dead(alice, verification, browser_client):
    old = share(alice, verification)
    alice.client.delete(url(verification))
    new = share(alice, verification)
    assert new["share_url"] != old["share_url"]
    assert browser_client.get(page_path(old)).status_code == 404
    assert browser_client.get(page_path(new)).status_code == 200
    assert Share.objects.count() == 1


@pytest.mark.parametrize("status", [Status.QUEUED, Status.IN_PROGRESS, Status.FAILED])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_sharing_an_unfinished_or_failed_verification_is_403_with_a_reason(alice, status, method):
    v = make_verification(alice, status=status)
    response = getattr(alice.client, method)(
        url(v), {"access_type": "anyone_with_link"}, format="json"
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "completed" in detail and Status(status).label.lower() in detail


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_accounts_verification_is_404(bob, verification, method):
    response = getattr(bob.client, method)(
        url(verification), {"access_type": "anyone_with_link"}, format="json"
    )
    assert response.status_code == 404
    assert not Share.objects.exists()


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_verification_is_404(alice, method):
    response = getattr(alice.client, method)(
        f"/v1/verifications/{uuid.uuid4()}/share", {"access_type": "restricted"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_malformed_id_is_422_naming_the_path_parameter(alice, method):
    response = getattr(alice.client, method)("/v1/verifications/nope/share")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "verification_id"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_without_a_key_it_is_401(anon, verification, method):
    assert getattr(anon, method)(url(verification)).status_code == 401


@pytest.mark.parametrize(
    "body", [{}, {"access_type": "public"}, {"access_type": None}, {"access_type": 3}]
)
def test_a_bad_access_type_is_422_naming_the_field(alice, verification, body):
    response = alice.client.post(url(verification), body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "access_type"]
    assert not Share.objects.exists()


def test_a_body_that_is_not_json_is_422(alice, verification):
    response = alice.client.post(url(verification), "{nope", content_type="application/json")
    assert response.status_code == 422


def test_a_browser_session_of_a_member_can_share(alice, alice_colleague, verification):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(alice_colleague)
    response = client.post(url(verification), {"access_type": "restricted"}, format="json")
    assert response.status_code == 200
    assert response.json()["access_type"] == "restricted"
