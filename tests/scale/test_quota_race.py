"""Concurrent uploads race for the last quota slots; exactly the quota wins.

Runs on SQLite in `make test` and on PostgreSQL in `make test-scale`.
"""

from __future__ import annotations

import pytest

from tests.scale.race import race_uploads
from verifications.models import Verification

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_concurrent_uploads_on_a_fresh_free_account_admit_exactly_five(alice, upload):
    answers = race_uploads(alice.key, upload, 8, timeout=120)
    assert sorted(status for status, _ in answers) == [201] * 5 + [402] * 3, answers
    assert Verification.objects.filter(account=alice.account).count() == 5
