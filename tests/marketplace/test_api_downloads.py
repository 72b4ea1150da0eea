"""download_purchased_image and download_listing_image: who may fetch the original, and when."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from marketplace.models import Purchase, PurchaseStatus
from tests.marketplace.conftest import completed_event


@pytest.fixture
def pending(buy, listing) -> Purchase:  # noqa: ANN001
    return Purchase.objects.get(pk=buy(listing)["purchase_id"])


@pytest.fixture
def paid(pending, deliver) -> Purchase:  # noqa: ANN001
    assert deliver(completed_event(pending)).status_code == 200
    pending.refresh_from_db()
    assert pending.status == PurchaseStatus.PAID
    return pending


def purchase_url(purchase) -> str:  # noqa: ANN001
    return f"/v1/marketplace/purchases/{purchase.pk}/download"


def listing_url(listing) -> str:  # noqa: ANN001
    return f"/v1/marketplace/listings/{listing.pk}/download"


def fetch(client, response) -> bytes:  # noqa: ANN001
    """Follow the redirect to the signed file URL and read the bytes."""
    assert response.status_code == 302, response.content
    assert response["Cache-Control"] == "no-store"
    got = client.get(response["Location"])
    assert got.status_code == 200
    return b"".join(got.streaming_content)


def test_the_buyer_downloads_the_original_once_paid(buyer, paid, verification):
    response = buyer.client.get(purchase_url(paid))
    data = fetch(buyer.client, response)
    assert data == verification.image_file.open("rb").read()
    assert data[:2] == b"\xff\xd8"


def test_the_buyer_downloads_by_listing_too(buyer, paid, listing, verification):
    data = fetch(buyer.client, buyer.client.get(listing_url(listing)))
    assert data == verification.image_file.open("rb").read()


def test_the_download_is_offered_under_the_listing_title(buyer, paid):
    response = buyer.client.get(purchase_url(paid))
    got = buyer.client.get(response["Location"])
    assert got["Content-Disposition"] == 'attachment; filename="Sunset-over-Lake-Zurich.jpg"'


def test_while_payment_is_pending_the_purchase_download_is_402(buyer, pending):
    response = buyer.client.get(purchase_url(pending))
    assert response.status_code == 402
    assert "pending" in response.json()["detail"]


def test_while_payment_is_pending_the_listing_download_is_403(buyer, pending, listing):
    response = buyer.client.get(listing_url(listing))
    assert response.status_code == 403
    assert "paid purchase" in response.json()["detail"]


def test_an_expired_checkout_is_402(buyer, pending):
    Purchase.objects.filter(pk=pending.pk).update(status=PurchaseStatus.EXPIRED)
    assert buyer.client.get(purchase_url(pending)).status_code == 402


def test_a_refunded_purchase_is_403(buyer, paid, listing):
    Purchase.objects.filter(pk=paid.pk).update(status=PurchaseStatus.REFUNDED)
    assert buyer.client.get(purchase_url(paid)).status_code == 403
    assert buyer.client.get(listing_url(listing)).status_code == 403


def test_after_the_window_both_downloads_are_410(buyer, paid, listing):
    Purchase.objects.filter(pk=paid.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = buyer.client.get(purchase_url(paid))
    assert response.status_code == 410
    assert "window" in response.json()["detail"]
    assert buyer.client.get(listing_url(listing)).status_code == 410


def test_a_new_purchase_reopens_the_listing_download(buyer, paid, listing, buy, deliver):
    Purchase.objects.filter(pk=paid.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(days=1)
    )
    again = Purchase.objects.get(pk=buy(listing)["purchase_id"])
    deliver(completed_event(again))
    assert buyer.client.get(listing_url(listing)).status_code == 302


def test_anyone_but_the_buyer_is_403_and_the_seller_may_always_download(
    paid, carol, seller, listing
):
    response = carol.client.get(purchase_url(paid))
    assert response.status_code == 403
    assert "Only the buyer" in response.json()["detail"]
    assert carol.client.get(listing_url(listing)).status_code == 403
    Purchase.objects.filter(pk=paid.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(days=9)
    )
    assert seller.client.get(purchase_url(paid)).status_code == 302
    assert seller.client.get(listing_url(listing)).status_code == 302


def test_the_seller_may_download_a_pending_sale_and_an_unsold_listing(seller, pending, listing):
    assert seller.client.get(purchase_url(pending)).status_code == 302
    assert seller.client.get(listing_url(listing)).status_code == 302


def test_past_buyers_still_download_after_the_listing_is_deactivated(seller, buyer, paid, listing):
    assert seller.client.delete(f"/v1/marketplace/listings/{listing.pk}").status_code == 204
    assert buyer.client.get(purchase_url(paid)).status_code == 302
    assert buyer.client.get(listing_url(listing)).status_code == 302


def test_unknown_ids_are_404_and_malformed_ids_422(buyer, db):
    assert buyer.client.get(f"/v1/marketplace/purchases/{uuid.uuid4()}/download").status_code == 404
    assert buyer.client.get(f"/v1/marketplace/listings/{uuid.uuid4()}/download").status_code == 404
    response = buyer.client.get("/v1/marketplace/purchases/x/download")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "purchase_id"]
    assert buyer.client.get("/v1/marketplace/listings/x/download").status_code == 422


def test_downloads_need_credentials(anon, paid, listing):
    assert anon.get(purchase_url(paid)).status_code == 401
    assert anon.get(listing_url(listing)).status_code == 401
