"""Make sure the reaper is scheduled once migrations have run."""

from __future__ import annotations

from typing import Any

REAPER_NAME = "reap stale verifications"


def ensure_schedules(**kwargs: Any) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=REAPER_NAME,
        defaults={
            "func": "verifications.tasks.reap_stale",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )
