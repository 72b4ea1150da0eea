"""`manage.py create_account EMAIL --plan PLAN [--password PW]`: prints one JSON object."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apikeys.services import api_key_create
from lumethic.models import Plan
from lumethic.services import account_create


class Command(BaseCommand):
    help = "Create an account (and its owner) and print {account_id, user_id, api_key} as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--plan", choices=[p.value for p in Plan], default=Plan.FREE)
        parser.add_argument("--password", default=None)
        parser.add_argument("--budget-cents", type=int, default=0)

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"])
        if "@" not in email:
            raise CommandError("EMAIL must be an e-mail address")
        account, user = account_create(
            email=email, password=options["password"], plan=str(options["plan"])
        )
        if options["budget_cents"]:
            account.budget_limit_cents = int(options["budget_cents"])
            account.save(update_fields=["budget_limit_cents"])
        _key, raw = api_key_create(
            account=account, user=user, description="created by create_account"
        )
        self.stdout.write(
            json.dumps({"account_id": str(account.pk), "user_id": str(user.pk), "api_key": raw})
        )
