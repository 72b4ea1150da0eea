"""Make sure the stale-purchase sweep is scheduled once migrations have run."""

from __future__ import annotations

from typing import Any

EXPIRY_NAME = "expire stale purchases"


def ensure_schedules(**kwargs: Any) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=EXPIRY_NAME,
        defaults={
            "func": "marketplace.tasks.expire_stale_purchases",
            "schedule_type": Schedule.HOURLY,
            "repeats": -1,
        },
    )
