from __future__ import annotations


def test_the_admin_lists_and_searches_marketplace_rows(admin_client, listing, buy):
    buy(listing)
    for path in ("listing", "purchase", "processedstripeevent"):
        assert admin_client.get(f"/admin/marketplace/{path}/").status_code == 200
        assert admin_client.get(f"/admin/marketplace/{path}/?q=sunset").status_code == 200
    assert admin_client.get(f"/admin/marketplace/listing/{listing.pk}/change/").status_code == 200
