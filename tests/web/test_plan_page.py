from __future__ import annotations

import datetime as dt

from django.test import Client

from lumethic.models import MonthlyUsage, Plan
from lumethic.services import current_month
from tests.conftest import Persona


def test_the_plan_page_shows_this_months_usage_against_the_quota(alice: Persona, web: Client):
    MonthlyUsage.objects.create(account=alice.account, month=current_month(), count=3)
    MonthlyUsage.objects.create(account=alice.account, month=dt.date(2020, 1, 1), count=5)
    html = web.get("/plan/").content.decode()
    assert "<strong>3</strong> of 5 verifications used" in html
    assert "2 left" in html


def test_without_stripe_the_plan_page_says_payments_are_not_configured(web: Client, settings):
    settings.STRIPE_SECRET_KEY = ""
    html = web.get("/plan/").content.decode()
    assert "Payments are not configured" in html
    assert "disabled" in html


def test_with_stripe_the_upgrade_buttons_post_to_the_upgrade_view(
    web: Client, settings, monkeypatch
):
    # The upgrade view belongs to the marketplace app; pin its URL so this
    # test does not depend on that app being wired.
    monkeypatch.setattr("lumethic.views.upgrade_url", lambda: "/marketplace/upgrade/")
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    html = web.get("/plan/").content.decode()
    assert 'action="/marketplace/upgrade/"' in html
    assert "Payments are not configured" not in html
    assert 'name="plan" value="basic"' in html and 'name="plan" value="professional"' in html


def test_a_paid_account_sees_its_overage_in_euros(alice: Persona, web: Client, settings):
    settings.OVERAGE_PRICE_CENTS = 25
    alice.account.plan = Plan.BASIC
    alice.account.save()
    MonthlyUsage.objects.create(
        account=alice.account, month=current_month(), count=54, overage_count=4
    )
    html = web.get("/plan/").content.decode()
    assert "<strong>4</strong> verifications at €0.25 each = <strong>€1.00</strong>" in html
