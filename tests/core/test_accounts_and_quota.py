from __future__ import annotations

import json

from django.core.management import call_command

from apikeys.services import api_key_check
from lumethic.models import Account, MonthlyUsage, Plan
from lumethic.services import account_create, usage_release, usage_reserve


def test_create_account_prints_exactly_one_json_object_with_a_working_key(db, capsys):
    call_command(
        "create_account", "carol@example.com", "--plan", "basic", "--password", "pw-carol-123"
    )
    out = capsys.readouterr().out.strip()
    body = json.loads(out)
    assert set(body) == {"account_id", "user_id", "api_key"}
    key = api_key_check(body["api_key"])
    assert key is not None and str(key.account_id) == body["account_id"]
    assert Account.objects.get(pk=body["account_id"]).plan == Plan.BASIC


def test_the_free_plan_admits_five_verifications_a_month(db):
    account, _ = account_create(email="free@example.com")
    assert [usage_reserve(account=account) for _ in range(6)] == [True] * 5 + [False]


def test_a_paid_plan_goes_over_quota_only_up_to_its_budget(db, settings):
    settings.OVERAGE_PRICE_CENTS = 25
    account, _ = account_create(email="pro@example.com", plan=Plan.BASIC)
    account.budget_limit_cents = 50  # two overage verifications
    account.save()
    results = [usage_reserve(account=account) for _ in range(53)]
    assert results.count(True) == 52 and results[-1] is False
    usage = MonthlyUsage.objects.get(account=account)
    assert (usage.count, usage.overage_count) == (52, 2)


def test_enterprise_has_no_monthly_limit(db):
    account, _ = account_create(email="big@example.com", plan=Plan.ENTERPRISE)
    assert all(usage_reserve(account=account) for _ in range(30))


def test_releasing_a_reservation_gives_the_slot_back(db):
    account, _ = account_create(email="rel@example.com")
    for _ in range(5):
        usage_reserve(account=account)
    usage_release(account=account)
    assert usage_reserve(account=account) is True
    assert usage_reserve(account=account) is False
