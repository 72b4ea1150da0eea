from __future__ import annotations

import pytest

from tests.verifications.helpers import make_verification
from verifications.models import Status

URL = "/v1/verifications/"


@pytest.fixture
def rows(alice, bob):
    make_verification(
        alice.account,
        name="Harbour at dawn",
        result=True,
        result_confidence=0.95,
        camera_make="Canon",
        camera_model="EOS 6D",
    )
    make_verification(
        alice.account,
        name="Market",
        result=False,
        result_confidence=0.7,
        camera_make="Nikon",
        camera_model="D500",
    )
    make_verification(
        alice.account, name="Queued one", status=Status.QUEUED, result=None, result_confidence=None
    )
    make_verification(bob.account, name="Bob's harbour")


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_the_list_is_a_page_of_the_callers_own_verifications(alice, rows):
    response = alice.client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["offset"], body["size"], body["total_pages"]) == (3, 0, 20, 1)
    assert "Bob's harbour" not in names(response)
    assert set(body["items"][0]) >= {
        "id",
        "status",
        "results",
        "result",
        "short_code",
        "account_id",
        "failure_reason",
    }


def test_offset_and_size_page_through_the_list(alice, rows):
    first = alice.client.get(URL, {"size": 2, "sort_by": "name", "sort_order": "asc"}).json()
    second = alice.client.get(
        URL, {"size": 2, "offset": 2, "sort_by": "name", "sort_order": "asc"}
    ).json()
    assert first["total_pages"] == 2
    assert [i["name"] for i in first["items"] + second["items"]] == [
        "Harbour at dawn",
        "Market",
        "Queued one",
    ]


@pytest.mark.parametrize("query", [{"size": 0}, {"size": 101}, {"offset": -1}, {"size": "x"}])
def test_out_of_range_paging_is_422_in_the_query(alice, query):
    response = alice.client.get(URL, query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "queued"}, ["Queued one"]),
        ({"result": "true"}, ["Harbour at dawn"]),
        ({"result": "false"}, ["Market"]),
        ({"search": "harb"}, ["Harbour at dawn"]),
        ({"search": "nikon"}, ["Market"]),
        ({"search": "D500"}, ["Market"]),
        (
            {"sort_by": "result_confidence", "sort_order": "desc", "status": "completed"},
            ["Harbour at dawn", "Market"],
        ),
        ({"sort_by": "name", "sort_order": "desc"}, ["Queued one", "Market", "Harbour at dawn"]),
    ],
)
def test_filters_search_and_sort(alice, rows, query, expected):
    assert names(alice.client.get(URL, query)) == expected


def test_search_finds_a_verification_by_its_short_code(alice, rows):
    row = make_verification(alice.account, name="Coded")
    assert names(alice.client.get(URL, {"search": row.short_code})) == ["Coded"]


@pytest.mark.parametrize(
    "query",
    [{"sort_by": "password"}, {"sort_order": "up"}, {"status": "done"}, {"result": "maybe"}],
)
def test_an_invalid_filter_or_sort_is_400(alice, query):
    response = alice.client.get(URL, query)
    assert response.status_code == 400
    assert list(query)[0] in response.json()["detail"]


def test_listing_without_a_key_is_401(anon):
    assert anon.get(URL).status_code == 401
