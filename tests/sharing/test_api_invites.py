"""POST/DELETE /v1/verifications/{id}/share/invites."""

from __future__ import annotations

import uuid

import pytest

from sharing.models import ShareInvite
from tests.sharing.conftest import make_verification, share
from verifications.models import Status


def url(v) -> str:  # noqa: ANN001
    return f"/v1/verifications/{v.pk}/share/invites"


def invite(persona, v, email: str):  # noqa: ANN001, ANN201
    return persona.client.post(url(v), {"email": email}, format="json")


@pytest.mark.parametrize("access", ["restricted", "anyone_with_link"])
def test_inviting_an_address_without_an_account_says_so(alice, verification, access):
    share(alice, verification, access)
    response = invite(alice, verification, "editor@newspaper.com")
    assert response.status_code == 200
    assert response.json() == {"email": "editor@newspaper.com", "user_exists": False}


def test_inviting_an_existing_user_says_so(alice, carol, verification):
    share(alice, verification, "restricted")
    response = invite(alice, verification, "carol@example.net")
    assert response.json() == {"email": "carol@example.net", "user_exists": True}


def test_addresses_are_normalised_and_stored_once(alice, carol, verification):
    share(alice, verification, "restricted")
    first = invite(alice, verification, "  Carol@Example.NET ")
    second = invite(alice, verification, "carol@example.net")
    assert first.json() == second.json() == {"email": "carol@example.net", "user_exists": True}
    assert list(ShareInvite.objects.values_list("email", flat=True)) == ["carol@example.net"]
    shared = alice.client.get(f"/v1/verifications/{verification.pk}/share").json()
    assert shared["invited_emails"] == ["carol@example.net"]


def test_inviting_when_not_shared_is_400_not_shared(alice, verification):
    response = invite(alice, verification, "editor@newspaper.com")
    assert response.status_code == 400
    assert "not shared" in response.json()["detail"]
    assert not ShareInvite.objects.exists()


def test_inviting_after_sharing_was_turned_off_is_400(alice, verification):
    share(alice, verification)
    alice.client.delete(f"/v1/verifications/{verification.pk}/share")
    assert invite(alice, verification, "editor@newspaper.com").status_code == 400


@pytest.mark.parametrize(
    "body",
    [{}, {"email": ""}, {"email": "not-an-address"}, {"email": "a@b"}, {"email": ["x@y.com"]}],
)
def test_a_bad_address_is_422_naming_the_field(alice, verification, body):
    share(alice, verification)
    response = alice.client.post(url(verification), body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_the_invitation_email_is_handed_to_the_worker_after_commit(
    alice, verification, django_capture_on_commit_callbacks, no_invite_emails
):
    share(alice, verification, "restricted")
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice, verification, "editor@newspaper.com")
    assert no_invite_emails == [ShareInvite.objects.get().pk]


def test_the_worker_task_is_queued_with_django_q(
    alice, verification, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda func, *args, **kw: queued.append((func, args))
    )
    share(alice, verification, "restricted")
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice, verification, "editor@newspaper.com")
    assert queued == [("sharing.tasks.send_invite_email", (ShareInvite.objects.get().pk,))]


def test_removing_an_invite_revokes_it(alice, verification):
    share(alice, verification, "restricted")
    invite(alice, verification, "editor@newspaper.com")
    response = alice.client.delete(
        url(verification), {"email": "Editor@Newspaper.com"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["detail"]
    assert not ShareInvite.objects.exists()


def test_removing_an_address_that_was_not_invited_is_404(alice, verification):
    share(alice, verification, "restricted")
    response = alice.client.delete(
        url(verification), {"email": "nobody@example.com"}, format="json"
    )
    assert response.status_code == 404


def test_removing_with_a_bad_address_is_422(alice, verification):
    share(alice, verification, "restricted")
    response = alice.client.delete(url(verification), {"email": "nope"}, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_invites_on_an_unfinished_verification_are_403(alice, method):
    v = make_verification(alice, status=Status.IN_PROGRESS)
    response = getattr(alice.client, method)(url(v), {"email": "x@example.com"}, format="json")
    assert response.status_code == 403
    assert "completed" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_invites_on_another_accounts_verification_are_404(alice, bob, verification, method):
    share(alice, verification, "restricted")
    invite(alice, verification, "x@example.com")
    response = getattr(bob.client, method)(
        url(verification), {"email": "x@example.com"}, format="json"
    )
    assert response.status_code == 404
    assert list(ShareInvite.objects.values_list("email", flat=True)) == ["x@example.com"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_invites_on_an_unknown_or_malformed_id(alice, method):
    call = getattr(alice.client, method)
    body = {"email": "x@example.com"}
    assert (
        call(f"/v1/verifications/{uuid.uuid4()}/share/invites", body, format="json").status_code
        == 404
    )
    response = call("/v1/verifications/123/share/invites", body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "verification_id"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_invites_without_a_key_are_401(anon, verification, method):
    assert getattr(anon, method)(url(verification), {"email": "x@example.com"}).status_code == 401


def test_inviting_again_resends_at_most_once_an_hour(
    alice, verification, django_capture_on_commit_callbacks, no_invite_emails
):
    import datetime as dt

    from django.utils import timezone

    share(alice, verification, "restricted")
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice, verification, "editor@newspaper.com")
    ShareInvite.objects.update(last_sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(alice, verification, "editor@newspaper.com").status_code == 200
    assert len(no_invite_emails) == 1
    ShareInvite.objects.update(last_sent_at=timezone.now() - dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice, verification, "editor@newspaper.com")
    assert len(no_invite_emails) == 2
