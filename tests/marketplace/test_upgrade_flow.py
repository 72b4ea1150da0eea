"""A plan upgrade end to end over real HTTP: our upgrade view starts a subscription
Checkout at the fake Stripe, paying there sends Stripe-signed events to our
webhook on a live server, and only then does the account's plan change."""

from __future__ import annotations

import pytest
from django.test import Client

from lumethic.models import Account, Plan
from tests.marketplace.conftest import WEBHOOK

pytestmark = pytest.mark.django_db(transaction=True)


def test_paying_a_subscription_checkout_upgrades_the_account(live_server, fake_stripe):
    from tests.conftest import make_persona

    alice = make_persona("upgrader@example.com")
    fake_stripe.webhook_url = live_server.url + WEBHOOK
    browser = Client()
    browser.force_login(alice.user)
    response = browser.post("/marketplace/upgrade/", {"plan": "professional"})
    assert response.status_code == 303
    session_id = response["Location"].rsplit("/", 1)[-1]
    assert Account.objects.get(pk=alice.account.pk).plan == Plan.FREE

    assert fake_stripe.complete(session_id) == [200, 200]
    account = Account.objects.get(pk=alice.account.pk)
    assert account.plan == Plan.PROFESSIONAL
    assert account.stripe_customer_id.startswith("cus_test_")
    assert account.stripe_subscription_id.startswith("sub_test_")
    # The plan page's checkout return never decides the plan; it only thanks.
    assert "Thank you" in browser.get("/marketplace/upgrade/?checkout=success").content.decode()
