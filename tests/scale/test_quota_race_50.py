"""Fifty parallel creates with ten verifications of quota left: exactly ten are admitted.

Marked `scale`: `make test-scale` runs it on PostgreSQL, where the race is real
(row-level locking, no global write lock as in SQLite).
"""

from __future__ import annotations

import pytest

from lumethic.models import MonthlyUsage, Plan
from lumethic.services import current_month
from tests.conftest import make_persona
from tests.scale.race import race_uploads
from verifications.models import Verification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scale]
PARALLEL = 50


def test_fifty_parallel_creates_with_ten_left_admit_exactly_ten(upload):
    basic = make_persona("racer@example.com", plan=Plan.BASIC)  # 50 a month, no overage budget
    MonthlyUsage.objects.create(account=basic.account, month=current_month(), count=40)
    answers = race_uploads(basic.key, upload, PARALLEL)
    assert sorted(status for status, _ in answers) == [201] * 10 + [402] * 40, answers
    assert Verification.objects.filter(account=basic.account).count() == 10
    assert MonthlyUsage.objects.get(account=basic.account).count == 50
