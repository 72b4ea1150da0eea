from __future__ import annotations

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from sharing.signals import verification_deleted
        from verifications.models import Verification

        post_delete.connect(
            verification_deleted, sender=Verification, dispatch_uid="sharing-cleanup"
        )
