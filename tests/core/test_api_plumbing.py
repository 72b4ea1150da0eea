from __future__ import annotations

from lumethic.models import WorkerHeartbeat
from verifications.tasks import reap_stale


def test_health_is_public_and_reports_the_database_and_worker(db, anon):
    response = anon.get("/v1/public/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["worker_last_seen"] is None
    reap_stale()  # what the worker's scheduled reaper does every minute
    assert WorkerHeartbeat.objects.filter(name="worker").exists()
    assert anon.get("/v1/public/health").json()["worker_seconds_ago"] < 60


def test_an_unknown_v1_path_is_a_json_404(alice):
    response = alice.client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_malformed_json_is_a_422_in_the_validation_shape(alice):
    response = alice.client.generic(
        "POST", "/v1/apikeys/", data=b'{"account_id": ', content_type="application/json"
    )
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["loc"] == ["body"] and item["type"] == "json_invalid"


def test_docs_and_redoc_are_served_without_any_cdn(client):
    for path in ("/docs", "/redoc"):
        html = client.get(path).content.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html


def test_a_lost_database_answers_503_not_500(alice, monkeypatch):
    from django.db import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("verifications.api.views.verification_list", broken)
    response = alice.client.get("/v1/verifications/")
    assert response.status_code == 503
    assert response["Retry-After"]
