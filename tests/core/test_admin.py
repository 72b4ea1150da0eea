from __future__ import annotations

import pytest
from django.contrib import admin

from tests.verifications.helpers import make_verification


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        email="staff@lumethic.test", password="pw-staff-123"
    )
    client.force_login(user)
    return client


def test_every_model_has_an_admin_changelist_that_renders(staff_client, alice):
    make_verification(alice.account)
    for model in admin.site._registry:
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        response = staff_client.get(url, {"q": "a"})
        assert response.status_code == 200, url


def test_staff_can_rerun_a_verification_from_the_admin(
    staff_client, alice, enqueued, django_capture_on_commit_callbacks
):
    v = make_verification(alice.account, status="failed", failure_reason="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/verifications/verification/",
            {"action": "rerun", "_selected_action": [str(v.pk)]},
        )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.status == "queued" and v.failure_reason is None
    assert enqueued == [str(v.pk)]


def test_staff_can_revoke_keys_from_the_admin(staff_client, alice):
    from apikeys.models import ApiKey

    key = ApiKey.objects.get(account=alice.account)
    staff_client.post(
        "/admin/apikeys/apikey/", {"action": "revoke", "_selected_action": [str(key.pk)]}
    )
    key.refresh_from_db()
    assert not key.is_active
    assert alice.client.get("/v1/apikeys/").status_code == 401
