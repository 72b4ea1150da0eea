from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lumethic"
    label = "lumethic"
    verbose_name = "Accounts and plans"
    default_auto_field = "django.db.models.BigAutoField"
