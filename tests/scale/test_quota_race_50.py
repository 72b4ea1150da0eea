"""Fifty parallel creates with ten verifications of quota left: exactly ten are admitted.

Marked `scale`: `make test-scale` runs it on PostgreSQL, where the race is real
(row-level locking, no global write lock as in SQLite).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from lumethic.models import MonthlyUsage, Plan
from lumethic.services import current_month
from tests.conftest import make_persona
from verifications.models import Verification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scale]
PARALLEL = 50


def test_fifty_parallel_creates_with_ten_left_admit_exactly_ten(upload):
    basic = make_persona("racer@example.com", plan=Plan.BASIC)  # 50 a month, no overage budget
    MonthlyUsage.objects.create(account=basic.account, month=current_month(), count=40)
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=basic.key)
        body = upload()
        try:
            barrier.wait(timeout=60)
            response = client.post("/v1/verifications/", body, format="multipart")
        finally:
            connection.close()
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(statuses) == [201] * 10 + [402] * 40
    assert Verification.objects.filter(account=basic.account).count() == 10
    assert MonthlyUsage.objects.get(account=basic.account).count == 50
