"""`manage.py demo_account`: make sure the demo account exists and print a fresh key.

Used by `make run`, so every start shows a working key without piling up accounts.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apikeys.services import api_key_create
from lumethic.models import Account, Plan, User
from lumethic.services import account_create

DEMO_EMAIL = "demo@lumethic.local"
DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Ensure the demo account exists and print its login and a new API key."

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(email=DEMO_EMAIL).first()
        account = Account.objects.filter(memberships__user=user).first() if user else None
        if account is None:
            account, user = account_create(
                email=DEMO_EMAIL, password=DEMO_PASSWORD, plan=Plan.PROFESSIONAL, name="Demo"
            )
        _key, raw = api_key_create(account=account, user=user, description="make run")
        self.stdout.write(
            "\nDemo account ready.\n"
            f"  login:    {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
            f"  account:  {account.pk}\n"
            f"  API key:  {raw}\n"
            f"  export LUMETHIC_KEY={raw}\n"
        )
