from __future__ import annotations

import re

from django.test import Client
from rest_framework.test import APIClient

from apikeys.models import ApiKey
from tests.conftest import Persona


def test_creating_a_key_shows_it_once_and_it_works_with_the_api(alice: Persona, web: Client):
    response = web.post("/keys/", {"description": "Lightroom plugin", "expires_in_days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    raw = re.search(r'<code id="new-key" class="mono">([^<]+)</code>', html).group(1)
    assert 'data-copy-target="new-key"' in html
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=raw)
    assert api.get("/v1/verifications/").status_code == 200
    assert raw not in web.get("/keys/").content.decode()
    assert "Lightroom plugin" in web.get("/keys/").content.decode()


def test_an_invalid_expiry_names_the_field(web: Client):
    response = web.post("/keys/", {"expires_in_days": "0"})
    assert response.status_code == 422
    assert "greater than or equal to 1" in response.content.decode()


def test_revoking_a_key_stops_it_at_once(alice: Persona, web: Client):
    key = ApiKey.objects.get(account=alice.account)
    response = web.post(f"/keys/{key.pk}/revoke/")
    assert response.status_code == 302
    assert alice.client.get("/v1/verifications/").status_code == 401
    assert "Revoked" in web.get("/keys/").content.decode()


def test_another_accounts_key_cannot_be_revoked(bob: Persona, web: Client):
    key = ApiKey.objects.get(account=bob.account)
    assert web.post(f"/keys/{key.pk}/revoke/").status_code == 404
    assert bob.client.get("/v1/verifications/").status_code == 200


def test_the_keys_page_lists_only_this_accounts_keys(bob: Persona, web: Client):
    html = web.get("/keys/").content.decode()
    bob_prefix = ApiKey.objects.get(account=bob.account).prefix
    assert bob_prefix not in html


def test_revoking_needs_a_post(alice: Persona, web: Client):
    key = ApiKey.objects.get(account=alice.account)
    assert web.get(f"/keys/{key.pk}/revoke/").status_code == 405
