from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from lumethic.models import Membership, Plan, User
from tests.conftest import Persona


def test_signing_up_creates_a_free_account_and_logs_in(db, client: Client):
    response = client.post(
        "/signup/", {"email": "Carol@Example.com", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302 and response["Location"] == "/upload/"
    user = User.objects.get(email="carol@example.com")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.account.plan == Plan.FREE
    assert client.get("/dashboard/").status_code == 200


def test_signing_up_with_a_taken_email_is_refused_and_keeps_the_password(
    alice: Persona, client: Client
):
    response = client.post("/signup/", {"email": alice.user.email, "password": "a-new-passphrase"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    alice.user.refresh_from_db()
    assert alice.user.check_password(alice.password)
    assert Membership.objects.filter(user=alice.user).count() == 1


def test_signing_up_with_a_weak_password_names_the_field(db, client: Client):
    response = client.post("/signup/", {"email": "dave@example.com", "password": "password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "too common" in html
    assert not User.objects.filter(email="dave@example.com").exists()


def test_logging_in_by_email_opens_the_dashboard(alice: Persona, client: Client):
    response = client.post("/login/", {"username": alice.user.email, "password": alice.password})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_a_wrong_password_shows_an_error_on_the_login_page(alice: Persona, client: Client):
    response = client.post("/login/", {"username": alice.user.email, "password": "nope"})
    assert response.status_code == 200
    assert "notice-error" in response.content.decode()


def test_logging_out_ends_the_session(web: Client):
    assert web.post("/logout/").status_code == 302
    assert web.get("/dashboard/")["Location"].startswith("/login/")


def test_pages_of_the_app_send_anonymous_visitors_to_log_in(db, client: Client):
    for url in ("/dashboard/", "/upload/", "/keys/", "/plan/", "/account/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


def test_password_reset_mails_a_link_that_sets_a_new_password(alice: Persona, client: Client):
    response = client.post("/password-reset/", {"email": alice.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("brand-new-passphrase")
