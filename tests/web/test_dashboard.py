from __future__ import annotations

from django.test import Client

from tests.conftest import Persona
from verifications.models import Status


def names(response) -> list[str]:  # noqa: ANN001
    return [row["v"].name for row in response.context["rows"]]


def test_the_dashboard_lists_only_the_accounts_own_verifications(
    alice: Persona, bob: Persona, web: Client, make_verification
):
    make_verification(alice.account, name="mine")
    make_verification(bob.account, name="bobs")
    response = web.get("/dashboard/")
    assert response.status_code == 200
    assert names(response) == ["mine"]
    assert "bobs" not in response.content.decode()


def test_an_empty_dashboard_invites_a_first_upload(web: Client):
    assert "Verify your first photo" in web.get("/dashboard/").content.decode()


def test_search_status_and_verdict_filters_narrow_the_list(
    alice: Persona, web: Client, make_verification
):
    make_verification(alice.account, name="harbour", camera_make="Nikon")
    make_verification(alice.account, name="forest", result=False)
    make_verification(
        alice.account, name="queued-one", status=Status.QUEUED, result=None, result_confidence=None
    )
    assert names(web.get("/dashboard/", {"search": "nikon"})) == ["harbour"]
    assert names(web.get("/dashboard/", {"status": "queued"})) == ["queued-one"]
    assert names(web.get("/dashboard/", {"result": "false"})) == ["forest"]
    assert "No verification matches" in web.get("/dashboard/", {"search": "zzz"}).content.decode()


def test_sorting_by_name_ascending(alice: Persona, web: Client, make_verification):
    for name in ("b", "c", "a"):
        make_verification(alice.account, name=name)
    assert names(web.get("/dashboard/", {"sort_by": "name", "sort_order": "asc"})) == [
        "a",
        "b",
        "c",
    ]


def test_bad_filter_values_fall_back_to_the_defaults(
    alice: Persona, web: Client, make_verification
):
    make_verification(alice.account, name="x")
    response = web.get("/dashboard/", {"status": "nope", "sort_by": "password", "page": "-3"})
    assert response.status_code == 200
    assert names(response) == ["x"]


def test_the_list_is_paginated_by_twenty_and_keeps_the_filters(
    alice: Persona, web: Client, make_verification
):
    for i in range(23):
        make_verification(alice.account, name=f"p{i:02d}")
    first = web.get("/dashboard/", {"sort_by": "name", "sort_order": "asc"})
    assert len(first.context["rows"]) == 20
    assert "sort_by=name&amp;sort_order=asc&amp;page=2" in first.content.decode()
    second = web.get("/dashboard/", {"sort_by": "name", "sort_order": "asc", "page": 2})
    assert names(second) == ["p20", "p21", "p22"]


def test_rows_still_processing_poll_the_api_and_finished_ones_do_not(
    alice: Persona, web: Client, make_verification
):
    pending = make_verification(alice.account, name="wait", status=Status.IN_PROGRESS, result=None)
    done = make_verification(alice.account, name="done")
    html = web.get("/dashboard/").content.decode()
    assert f'data-poll="/v1/verifications/{pending.pk}"' in html
    assert f'data-poll="/v1/verifications/{done.pk}"' not in html
    assert "js/dashboard.js" in html
