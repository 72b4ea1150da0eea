"""The worker tasks of sharing: the invitation e-mail and the rendition warm-up."""

from __future__ import annotations

from django.core import mail

from sharing.models import ShareInvite
from sharing.tasks import send_invite_email
from tests.sharing.conftest import share


def _invite(
    alice, verification, email: str, access: str = "restricted"
) -> tuple[ShareInvite, dict]:  # noqa: ANN001
    body = share(alice, verification, access)
    alice.client.post(
        f"/v1/verifications/{verification.pk}/share/invites", {"email": email}, format="json"
    )
    return ShareInvite.objects.get(email=email), body


def test_the_email_has_plain_text_and_html_with_the_share_url(alice, verification):
    invite, body = _invite(alice, verification, "editor@newspaper.com")
    assert send_invite_email(invite.pk) == "sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@newspaper.com"]
    assert verification.name in message.subject
    assert body["share_url"] in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert body["share_url"] in html
    assert "log in" in message.body and "sign up" in message.body
    invite.refresh_from_db()
    assert invite.last_sent_at is not None


def test_the_email_never_shows_the_owners_address(alice, verification):
    invite, _ = _invite(alice, verification, "editor@newspaper.com", "anyone_with_link")
    send_invite_email(invite.pk)
    message = mail.outbox[0]
    assert alice.user.email not in message.subject + message.body + message.alternatives[0][0]
    assert "A Lumethic user" in message.subject


def test_the_inviters_chosen_name_is_used(alice, verification):
    alice.user.first_name, alice.user.last_name = "Alice", "Liddell"
    alice.user.save()
    invite, _ = _invite(alice, verification, "editor@newspaper.com")
    send_invite_email(invite.pk)
    assert mail.outbox[0].subject.startswith("Alice Liddell shared")


def test_an_existing_user_is_not_asked_to_sign_up(alice, carol, verification):
    invite, _ = _invite(alice, verification, "carol@example.net")
    send_invite_email(invite.pk)
    assert "sign up" not in mail.outbox[0].body


def test_nothing_is_sent_once_sharing_was_turned_off(alice, verification):
    invite, _ = _invite(alice, verification, "editor@newspaper.com")
    pk = invite.pk
    alice.client.delete(f"/v1/verifications/{verification.pk}/share")
    assert send_invite_email(pk).startswith("skipped")
    assert mail.outbox == []


def test_sharing_queues_the_warmup_that_draws_both_copies(
    alice, verification, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.files.storage import default_storage

    from sharing import renditions
    from sharing.tasks import warm_share_renditions

    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *a, **k: queued.append((func, a)))
    with django_capture_on_commit_callbacks(execute=True):
        share(alice, verification)
        share(alice, verification, "restricted")  # no new code, no second warm-up
    assert queued == [("sharing.tasks.warm_share_renditions", (str(verification.pk),))]
    assert warm_share_renditions(str(verification.pk)) == "ready"
    _dirs, files = default_storage.listdir(renditions.folder(verification))
    assert sorted(f.split("-")[0] for f in files) == ["display", "signed"]


def test_the_warmup_skips_a_verification_that_is_no_longer_shared(alice, verification):
    from sharing.tasks import warm_share_renditions

    share(alice, verification)
    alice.client.delete(f"/v1/verifications/{verification.pk}/share")
    assert warm_share_renditions(str(verification.pk)).startswith("skipped")
