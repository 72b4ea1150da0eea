from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.test import Client

FOREIGN = re.compile(r"""(?:src|href|action)=["'](?:https?:)?//(?!testserver)""")


def test_landing_explains_the_product_with_pricing_and_a_docs_link(db, client: Client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Prove your photo is real · Lumethic</title>" in html
    assert 'href="/docs"' in html
    assert "€3.95" in html and "€49.95" in html and "By contract" in html
    assert 'href="/signup/"' in html


def test_landing_references_no_other_host(db, client: Client):
    assert not FOREIGN.search(client.get("/").content.decode())


def test_unknown_page_is_a_friendly_404(db, client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_forms_post_without_a_csrf_token_are_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/signup/", {"email": "x@example.com", "password": "a-long-passphrase"})
    assert response.status_code == 403


def test_every_form_on_the_landing_and_signup_pages_carries_a_csrf_token(db, client: Client):
    for url in ("/signup/", "/login/", "/password-reset/"):
        html = client.get(url).content.decode()
        forms = html.count("<form")
        assert forms and html.count("csrfmiddlewaretoken") == forms, url
