"""The 11 marketplace operations are in the OpenAPI document as the contract names them."""

from __future__ import annotations

CONTRACT = {
    ("get", "/v1/marketplace/listings"): "get_seller_listings",
    ("post", "/v1/marketplace/listings"): "create_listing",
    ("get", "/v1/marketplace/listings/{listing_id}"): "get_listing",
    ("put", "/v1/marketplace/listings/{listing_id}"): "update_listing",
    ("delete", "/v1/marketplace/listings/{listing_id}"): "deactivate_listing",
    ("get", "/v1/marketplace/sales"): "get_seller_sales",
    ("get", "/v1/marketplace/listings/{listing_id}/analytics/sales"): "get_listing_sales_analytics",
    ("post", "/v1/marketplace/listings/{listing_id}/purchase"): "initiate_purchase",
    ("get", "/v1/marketplace/purchases"): "get_buyer_purchases",
    ("get", "/v1/marketplace/purchases/{purchase_id}/download"): "download_purchased_image",
    ("get", "/v1/marketplace/listings/{listing_id}/download"): "download_listing_image",
}


def test_every_marketplace_operation_has_its_contract_id_and_tag(client, db):
    doc = client.get("/openapi.json").json()
    found = {
        (method, path): op
        for path, ops in doc["paths"].items()
        if path.startswith("/v1/marketplace")
        for method, op in ops.items()
    }
    assert {key: op["operationId"] for key, op in found.items()} == CONTRACT
    assert all(op["tags"] == ["Marketplace"] for op in found.values())


def test_the_listing_is_public_and_the_webhook_is_not_part_of_the_api(client, db):
    doc = client.get("/openapi.json").json()
    assert {} in doc["paths"]["/v1/marketplace/listings/{listing_id}"]["get"]["security"]
    assert {} not in doc["paths"]["/v1/marketplace/listings"]["get"].get("security", [{}])
    assert not any("webhooks" in path for path in doc["paths"])


def test_the_documented_errors_match_the_contract(client, db):
    paths = client.get("/openapi.json").json()["paths"]
    create = paths["/v1/marketplace/listings"]["post"]["responses"]
    assert {"201", "402", "403", "404", "422"} <= set(create)
    download = paths["/v1/marketplace/purchases/{purchase_id}/download"]["get"]["responses"]
    assert {"402", "403", "404", "410"} <= set(download)
    analytics = paths["/v1/marketplace/listings/{listing_id}/analytics/sales"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(analytics)
