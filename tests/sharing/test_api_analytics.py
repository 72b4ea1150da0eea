"""GET /v1/verifications/{id}/analytics/views."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from sharing.models import ShareView


def url(v) -> str:  # noqa: ANN001
    return f"/v1/verifications/{v.pk}/analytics/views"


def add_views(v, day: dt.date, count: int) -> None:  # noqa: ANN001
    for i in range(count):
        ShareView.objects.create(
            verification=v,
            viewed_at=dt.datetime.combine(day, dt.time(12, i), tzinfo=dt.UTC),
            visitor_key=f"{i:064x}",
            client_key=f"{i:064x}",
            access_type="anyone_with_link",
        )


def test_a_30_day_range_with_views_on_3_days_returns_30_entries(alice, verification):
    start = dt.date(2026, 3, 1)
    add_views(verification, dt.date(2026, 3, 1), 2)
    add_views(verification, dt.date(2026, 3, 15), 5)
    add_views(verification, dt.date(2026, 3, 30), 1)
    add_views(verification, dt.date(2026, 3, 31), 4)  # the day after: outside
    add_views(verification, dt.date(2026, 2, 28), 3)  # the day before: outside
    response = alice.client.get(
        url(verification), {"start_date": "2026-03-01", "end_date": "2026-03-30"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total_views"] == 8
    assert len(body["daily_views"]) == 30
    assert [d["date"] for d in body["daily_views"]] == [
        (start + dt.timedelta(days=i)).isoformat() for i in range(30)
    ]
    counts = {d["date"]: d["count"] for d in body["daily_views"]}
    assert counts == {
        **{(start + dt.timedelta(days=i)).isoformat(): 0 for i in range(30)},
        "2026-03-01": 2,
        "2026-03-15": 5,
        "2026-03-30": 1,
    }


def test_the_default_range_is_the_last_30_days_ending_today(alice, verification):
    today = timezone.now().date()
    add_views(verification, today, 1)
    add_views(verification, today - dt.timedelta(days=29), 2)
    add_views(verification, today - dt.timedelta(days=30), 7)
    body = alice.client.get(url(verification)).json()
    assert len(body["daily_views"]) == 30
    assert body["daily_views"][-1] == {"date": today.isoformat(), "count": 1}
    assert body["daily_views"][0]["count"] == 2
    assert body["total_views"] == 3


def test_only_a_start_date_runs_to_today(alice, verification):
    today = timezone.now().date()
    start = today - dt.timedelta(days=4)
    body = alice.client.get(url(verification), {"start_date": start.isoformat()}).json()
    assert len(body["daily_views"]) == 5


def test_only_an_end_date_covers_the_30_days_before_it(alice, verification):
    body = alice.client.get(url(verification), {"end_date": "2026-01-31"}).json()
    assert body["daily_views"][0]["date"] == "2026-01-02"
    assert body["daily_views"][-1]["date"] == "2026-01-31"


def test_one_day_ranges_work(alice, verification):
    add_views(verification, dt.date(2026, 5, 5), 3)
    body = alice.client.get(
        url(verification), {"start_date": "2026-05-05", "end_date": "2026-05-05"}
    ).json()
    assert body == {"total_views": 3, "daily_views": [{"date": "2026-05-05", "count": 3}]}


def test_views_of_other_verifications_are_not_counted(alice, verification, make_v):
    other = make_v(alice)
    add_views(other, dt.date(2026, 5, 5), 3)
    body = alice.client.get(
        url(verification), {"start_date": "2026-05-01", "end_date": "2026-05-10"}
    ).json()
    assert body["total_views"] == 0 and len(body["daily_views"]) == 10


def test_views_made_through_the_page_show_up(alice, verification):
    from django.test import Client

    from tests.sharing.conftest import BROWSER_UA, page_path, share

    path = page_path(share(alice, verification))
    Client(HTTP_USER_AGENT=BROWSER_UA).get(path)
    body = alice.client.get(url(verification)).json()
    assert body["total_views"] == 1
    assert body["daily_views"][-1]["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-02-30"},
        {"end_date": "2026-13-01"},
        {"end_date": "20260101"},
        {"start_date": "2026-1-1"},
        {"start_date": "2026-01-01T00:00:00"},
    ],
)
def test_a_bad_date_is_400_naming_it(alice, verification, query):
    response = alice.client.get(url(verification), query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()["detail"]


def test_start_after_end_is_400(alice, verification):
    response = alice.client.get(
        url(verification), {"start_date": "2026-03-10", "end_date": "2026-03-09"}
    )
    assert response.status_code == 400
    assert "after" in response.json()["detail"]


def test_a_range_longer_than_a_year_is_400(alice, verification):
    response = alice.client.get(
        url(verification), {"start_date": "2020-01-01", "end_date": "2026-01-01"}
    )
    assert response.status_code == 400


def test_another_accounts_analytics_are_404(bob, verification):
    add_views(verification, timezone.now().date(), 1)
    assert bob.client.get(url(verification)).status_code == 404


def test_unknown_malformed_and_unauthenticated(alice, anon, verification):
    assert alice.client.get(f"/v1/verifications/{uuid.uuid4()}/analytics/views").status_code == 404
    response = alice.client.get("/v1/verifications/x/analytics/views")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "verification_id"]
    assert anon.get(url(verification)).status_code == 401
