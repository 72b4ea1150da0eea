"""Date-range query parameters shared by the analytics endpoints."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from rest_framework.request import Request

from lumethic.api.errors import BadRequest

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def query_date(request: Request, name: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter, None when absent; 400 naming it when malformed."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"Invalid '{name}': expected a date as YYYY-MM-DD.") from None


def query_date_range(
    request: Request, *, default_days: int = 30, max_days: int = 366
) -> tuple[dt.date, dt.date]:
    """`start_date`..`end_date` (inclusive): defaults to the last `default_days` days
    ending today (or ending at a given start in the future); 400 when reversed or too long."""
    start, end = query_date(request, "start_date"), query_date(request, "end_date")
    today = timezone.now().date()
    if end is None:
        end = max(today, start) if start else today
    if start is None:
        start = end - dt.timedelta(days=default_days - 1)
    if start > end:
        raise BadRequest("Invalid date range: 'start_date' is after 'end_date'.")
    if (end - start).days + 1 > max_days:
        raise BadRequest(f"Invalid date range: at most {max_days} days at a time.")
    return start, end
