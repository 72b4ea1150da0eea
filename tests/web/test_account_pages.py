from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from lumethic.models import Membership, User
from lumethic.services import account_create
from tests.conftest import Persona


def test_a_member_of_two_accounts_can_switch_between_them(
    alice: Persona, web: Client, make_verification
):
    team, _ = account_create(email=alice.user.email, name="Studio Team")
    make_verification(team, name="team-photo")
    assert "team-photo" not in web.get("/dashboard/").content.decode()
    response = web.post("/account/switch/", {"account_id": str(team.pk)})
    assert response.status_code == 302
    assert "team-photo" in web.get("/dashboard/").content.decode()
    assert "Studio Team" in web.get("/account/").content.decode()


def test_switching_to_someone_elses_account_is_refused(alice: Persona, bob: Persona, web: Client):
    web.post("/account/switch/", {"account_id": str(bob.account.pk)})
    assert web.session.get("account_id") != str(bob.account.pk)
    assert str(bob.account.name) not in web.get("/account/").content.decode()


def test_inviting_an_existing_user_adds_them_and_mails_them(
    alice: Persona, bob: Persona, web: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/account/", {"email": bob.user.email})
    assert response.status_code == 302
    assert Membership.objects.filter(user=bob.user, account=alice.account).exists()
    assert mail.outbox[-1].to == [bob.user.email] and "/login/" in mail.outbox[-1].body


def test_inviting_a_new_person_creates_a_login_with_a_password_link(
    alice: Persona, web: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        web.post("/account/", {"email": "erin@example.com"})
    erin = User.objects.get(email="erin@example.com")
    assert not erin.has_usable_password()
    assert Membership.objects.filter(user=erin, account=alice.account).exists()
    assert "/reset/" in mail.outbox[-1].body


def test_a_plain_member_cannot_invite(alice: Persona, bob: Persona):
    Membership.objects.create(user=bob.user, account=alice.account)
    client = Client()
    client.force_login(bob.user)
    client.post("/account/switch/", {"account_id": str(alice.account.pk)})
    response = client.post("/account/", {"email": "frank@example.com"}, follow=True)
    assert "Only the account's owners" in response.content.decode()
    assert not User.objects.filter(email="frank@example.com").exists()


def test_an_invalid_invite_address_names_the_field(web: Client):
    response = web.post("/account/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()


def test_a_login_without_any_account_is_told_to_ask_for_an_invite(db):
    lonely = User.objects.create_user(email="lonely@example.com", password="x-long-passphrase")
    client = Client()
    client.force_login(lonely)
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/"
    assert "ask for an invite" in response.content.decode()


def test_an_invited_newcomer_chooses_a_password_from_the_mail_and_logs_in(
    alice: Persona, web: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        web.post("/account/", {"email": "gina@example.com"})
    link = re.search(r"https?://[^/\s]+(/reset/\S+/)", mail.outbox[-1].body).group(1)
    newcomer = Client()
    form_url = newcomer.get(link)["Location"]
    newcomer.post(
        form_url, {"new_password1": "gina-passphrase-1", "new_password2": "gina-passphrase-1"}
    )
    response = newcomer.post(
        "/login/", {"username": "gina@example.com", "password": "gina-passphrase-1"}
    )
    assert response.status_code == 302
    assert alice.account.name in newcomer.get("/account/").content.decode()
