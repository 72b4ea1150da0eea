"""The share operations in the OpenAPI document, and the admin pages for sharing."""

from __future__ import annotations

import pytest
from django.test import Client

from lumethic.models import User
from tests.sharing.conftest import BROWSER_UA, page_path, share

OPERATIONS = {
    ("get", "/v1/verifications/{verification_id}/share"): "get_verification_share",
    ("post", "/v1/verifications/{verification_id}/share"): "create_or_update_verification_share",
    ("delete", "/v1/verifications/{verification_id}/share"): "delete_verification_share",
    ("post", "/v1/verifications/{verification_id}/share/invites"): "add_verification_invite",
    ("delete", "/v1/verifications/{verification_id}/share/invites"): "remove_verification_invite",
    (
        "get",
        "/v1/verifications/{verification_id}/analytics/views",
    ): "get_verification_view_analytics",
    (
        "get",
        "/v1/verifications/{verification_id}/renditions/signed/original",
    ): "get_verification_watermarked_image",
}


@pytest.fixture(scope="module")
def spec() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("key", "operation_id"), OPERATIONS.items())
def test_each_share_operation_has_its_contract_id_and_tag(spec, key, operation_id):
    method, path = key
    op = spec["paths"][path][method]
    assert op["operationId"] == operation_id
    assert op["tags"] == ["Verifications"]
    assert "404" in op["responses"]


def test_the_share_schema_has_the_contract_fields(spec):
    op = spec["paths"]["/v1/verifications/{verification_id}/share"]["get"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {
        "verification_id",
        "access_type",
        "share_url",
        "invited_emails",
    }


def test_analytics_documents_its_date_parameters_and_400(spec):
    op = spec["paths"]["/v1/verifications/{verification_id}/analytics/views"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"start_date", "end_date"} <= names
    assert "400" in op["responses"]


def test_removing_an_invite_documents_its_body(spec):
    op = spec["paths"]["/v1/verifications/{verification_id}/share/invites"]["delete"]
    assert "requestBody" in op


@pytest.fixture
def admin_client(db) -> Client:  # noqa: ANN001
    user = User.objects.create_superuser(email="root@example.com", password="x")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_lists_shares_invites_and_views(admin_client, alice, verification):
    share(alice, verification, "restricted")
    alice.client.post(
        f"/v1/verifications/{verification.pk}/share/invites",
        {"email": "editor@newspaper.com"},
        format="json",
    )
    share(alice, verification, "anyone_with_link")
    Client(HTTP_USER_AGENT=BROWSER_UA).get(page_path(share(alice, verification)))
    for model in ("share", "shareinvite", "shareview"):
        response = admin_client.get(f"/admin/sharing/{model}/", {"q": "harbour"})
        assert response.status_code == 200, model
        assert "harbour-at-dawn" in response.content.decode()
    share_page = admin_client.get(f"/admin/sharing/share/{verification.share.pk}/change/")
    assert share_page.status_code == 200
    assert "editor@newspaper.com" in share_page.content.decode()


def test_the_admin_action_stops_sharing(admin_client, alice, verification):
    path = page_path(share(alice, verification))
    response = admin_client.post(
        "/admin/sharing/share/",
        {"action": "revoke", "_selected_action": [str(verification.share.pk)]},
    )
    assert response.status_code == 302
    assert Client(HTTP_USER_AGENT=BROWSER_UA).get(path).status_code == 404


def test_the_admin_can_stop_sharing_a_verification_that_is_being_rerun(
    admin_client, alice, verification
):
    share(alice, verification)
    type(verification).objects.filter(pk=verification.pk).update(status="queued")
    admin_client.post(
        "/admin/sharing/share/",
        {"action": "revoke", "_selected_action": [str(verification.share.pk)]},
    )
    verification.share.refresh_from_db()
    assert verification.share.code is None
