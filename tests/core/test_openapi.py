"""The OpenAPI document is the contract: every operation of spec/api.md is in
it with its method, path, operation id and tag."""

from __future__ import annotations

import pytest

CONTRACT = {
    ("get", "/v1/verifications/"): ("list_verifications", "Verifications"),
    ("post", "/v1/verifications/"): ("create_verification", "Verifications"),
    ("get", "/v1/verifications/{verification_id}"): ("get_verification", "Verifications"),
    ("delete", "/v1/verifications/{verification_id}"): ("delete_verification", "Verifications"),
    ("get", "/v1/verifications/{verification_id}/share"): (
        "get_verification_share",
        "Verifications",
    ),
    ("post", "/v1/verifications/{verification_id}/share"): (
        "create_or_update_verification_share",
        "Verifications",
    ),
    ("delete", "/v1/verifications/{verification_id}/share"): (
        "delete_verification_share",
        "Verifications",
    ),
    ("post", "/v1/verifications/{verification_id}/share/invites"): (
        "add_verification_invite",
        "Verifications",
    ),
    ("delete", "/v1/verifications/{verification_id}/share/invites"): (
        "remove_verification_invite",
        "Verifications",
    ),
    ("get", "/v1/verifications/{verification_id}/analytics/views"): (
        "get_verification_view_analytics",
        "Verifications",
    ),
    ("get", "/v1/verifications/{verification_id}/renditions/thumbnail"): (
        "get_verification_thumbnail",
        "Verifications",
    ),
    ("get", "/v1/verifications/{verification_id}/renditions/signed/original"): (
        "get_verification_watermarked_image",
        "Verifications",
    ),
    ("get", "/v1/verifications/{verification_id}/image"): (
        "get_verification_image",
        "Verifications",
    ),
    ("get", "/v1/public/health"): ("health_check", "Public Access"),
    ("get", "/v1/apikeys/"): ("list_api_keys", "API Keys"),
    ("post", "/v1/apikeys/"): ("create_api_key", "API Keys"),
    ("delete", "/v1/apikeys/{key_id}"): ("revoke_api_key", "API Keys"),
    ("get", "/v1/marketplace/listings"): ("get_seller_listings", "Marketplace"),
    ("post", "/v1/marketplace/listings"): ("create_listing", "Marketplace"),
    ("get", "/v1/marketplace/listings/{listing_id}"): ("get_listing", "Marketplace"),
    ("put", "/v1/marketplace/listings/{listing_id}"): ("update_listing", "Marketplace"),
    ("delete", "/v1/marketplace/listings/{listing_id}"): ("deactivate_listing", "Marketplace"),
    ("get", "/v1/marketplace/sales"): ("get_seller_sales", "Marketplace"),
    ("get", "/v1/marketplace/listings/{listing_id}/analytics/sales"): (
        "get_listing_sales_analytics",
        "Marketplace",
    ),
    ("post", "/v1/marketplace/listings/{listing_id}/purchase"): (
        "initiate_purchase",
        "Marketplace",
    ),
    ("get", "/v1/marketplace/purchases"): ("get_buyer_purchases", "Marketplace"),
    ("get", "/v1/marketplace/purchases/{purchase_id}/download"): (
        "download_purchased_image",
        "Marketplace",
    ),
    ("get", "/v1/marketplace/listings/{listing_id}/download"): (
        "download_listing_image",
        "Marketplace",
    ),
}


@pytest.fixture(scope="module")
def spec(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    return response.json()


def operations(spec: dict) -> dict:
    return {
        (method, path): op
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_the_document_is_openapi_3_1_with_the_key_header_scheme(spec):
    assert spec["openapi"].startswith("3.1")
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "header", "name": "X-API-Key"} in schemes.values()


def test_all_28_contract_operations_are_documented_with_their_ids_and_tags(spec):
    ops = operations(spec)
    assert len(CONTRACT) == 28
    found = {key: (op.get("operationId"), (op.get("tags") or [None])[0]) for key, op in ops.items()}
    assert {key: found.get(key) for key in CONTRACT} == CONTRACT


def test_every_operation_documents_its_error_responses(spec):
    for (method, path), op in operations(spec).items():
        if (method, path) not in CONTRACT or path == "/v1/public/health":
            continue
        codes = set(op["responses"])
        assert codes & {"401", "404", "422"}, f"{method} {path} documents no errors"
        for code in codes - {"200", "201", "204", "302", "307"}:
            assert "content" in op["responses"][code], f"{method} {path} {code} has no body schema"


def test_ids_in_paths_are_documented_as_uuids(spec):
    for (_method, path), op in operations(spec).items():
        for param in op.get("parameters", []):
            if param["in"] == "path" and param["name"].endswith("_id"):
                assert param["schema"].get("format") == "uuid", (path, param)
