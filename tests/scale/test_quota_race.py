"""Concurrent uploads race for the last quota slots; exactly the quota wins.

Runs on SQLite in `make test` and on PostgreSQL in `make test-scale`.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from verifications.models import Verification

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_concurrent_uploads_on_a_fresh_free_account_admit_exactly_five(alice, upload):
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    details: list[bytes] = []
    lock = threading.Lock()

    def send() -> None:
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_X_API_KEY=alice.key)
        body = upload()
        try:
            barrier.wait(timeout=30)
            response = client.post("/v1/verifications/", body, format="multipart")
        finally:
            connection.close()
        with lock:
            statuses.append(response.status_code)
            details.append(response.content[:200])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == [201] * 5 + [402] * 3, details
    assert Verification.objects.filter(account=alice.account).count() == 5
