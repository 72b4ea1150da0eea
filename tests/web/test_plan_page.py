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


def test_with_stripe_the_upgrade_buttons_post_to_the_marketplace_upgrade_view(
    web: Client, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    html = web.get("/plan/").content.decode()
    assert 'action="/marketplace/upgrade/"' in html
    assert 'name="plan" value="basic"' in html and 'name="plan" value="professional"' in html
    assert "Payments are not configured" not in html


def test_without_the_billing_app_the_page_explains_instead_of_offering_buttons(
    web: Client, settings, monkeypatch
):
    monkeypatch.setattr("lumethic.views.UPGRADE_URL_NAME", "no-such-view")
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    html = web.get("/plan/").content.decode()
    assert "Payments are not configured" in html and 'action="/marketplace' not in html


def test_a_paid_account_sees_its_overage_in_euros(alice: Persona, web: Client, settings):
    settings.OVERAGE_PRICE_CENTS = 25
    alice.account.plan = Plan.BASIC
    alice.account.save()
    MonthlyUsage.objects.create(
        account=alice.account, month=current_month(), count=54, overage_count=4
    )
    html = web.get("/plan/").content.decode()
    assert "<strong>4</strong> verifications at €0.25 each = <strong>€1.00</strong>" in html
