from __future__ import annotations

import datetime as dt

from django.utils import timezone

from verifications.engine_runner import EngineOutcome
from verifications.models import Status, Verification
from verifications.pipeline import verification_claim, verifications_reap


def create(alice, upload) -> Verification:
    response = alice.client.post("/v1/verifications/", upload(), format="multipart")
    assert response.status_code == 201
    return Verification.objects.get(pk=response.json()["id"])


def test_each_analysis_is_stored_once_with_a_stable_verificator_id(completed_verification, process):
    v = completed_verification
    ids = list(v.results.values_list("verificator_id", flat=True))
    assert len(ids) == len(set(ids)) and "raw_integrity" in ids
    for r in v.results.all():
        assert 0.0 <= r.confidence_score <= 1.0 and r.details.get("explanation")
    assert v.result is not None and v.completed_at and v.attempts == 1
    assert v.raw_metadata.get("make") == "Lumethic"


def test_two_workers_never_claim_the_same_verification(alice, upload):
    v = create(alice, upload)
    first = verification_claim(verification_id=str(v.pk))
    second = verification_claim(verification_id=str(v.pk))
    assert first is not None and second is None
    assert first.status == Status.IN_PROGRESS and first.attempts == 1 and first.heartbeat_at


def test_a_completed_verification_is_not_processed_again(completed_verification, process):
    assert process(completed_verification.pk) == "not claimed"


def test_a_crash_is_retried_once_then_fails_with_a_reason(
    alice, upload, process, monkeypatch, enqueued, django_capture_on_commit_callbacks
):
    v = create(alice, upload)
    crash = EngineOutcome("crashed", reason="The analysis process was stopped by SIGKILL.")
    monkeypatch.setattr("verifications.pipeline.run_engine", lambda *a, **k: crash)
    with django_capture_on_commit_callbacks(execute=True):
        assert process(v.pk) == "requeued"
    assert str(v.pk) in enqueued
    assert process(v.pk) == "failed"
    v.refresh_from_db()
    assert v.status == Status.FAILED and v.attempts == 2
    assert "SIGKILL" in v.failure_reason and "2 times" in v.failure_reason


def test_a_real_engine_child_over_its_memory_limit_fails_readably(alice, upload, process, settings):
    # Enough to start Python, not to decode: the child dies or is timed out,
    # and either way the row ends failed with a sentence, never stuck.
    settings.ENGINE_MEMORY_BYTES = 400 * 1024 * 1024
    settings.ENGINE_TIMEOUT_SECONDS = 30
    settings.ENGINE_MAX_ATTEMPTS = 1
    v = create(alice, upload)
    assert process(v.pk) == "failed"
    v.refresh_from_db()
    assert v.status == Status.FAILED and v.failure_reason.startswith("The analysis")
    assert "Traceback" not in v.failure_reason


def test_an_engine_that_runs_too_long_is_killed_and_fails(alice, upload, process, settings):
    settings.ENGINE_TIMEOUT_SECONDS = 0.2
    v = create(alice, upload)
    assert process(v.pk) == "failed"
    v.refresh_from_db()
    assert "did not finish within" in v.failure_reason


def test_the_reaper_requeues_a_silent_worker_then_fails_a_poison_file(
    alice, upload, enqueued, settings
):
    v = create(alice, upload)
    verification_claim(verification_id=str(v.pk))
    Verification.objects.filter(pk=v.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert verifications_reap()["requeued"] == 1
    v.refresh_from_db()
    assert v.status == Status.QUEUED and str(v.pk) in enqueued

    verification_claim(verification_id=str(v.pk))  # second attempt, worker dies again
    Verification.objects.filter(pk=v.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert verifications_reap()["failed"] == 1
    v.refresh_from_db()
    assert v.status == Status.FAILED and v.attempts == settings.ENGINE_MAX_ATTEMPTS
    assert "stopped unexpectedly" in v.failure_reason


def test_the_reaper_leaves_a_busy_worker_alone(alice, upload):
    v = create(alice, upload)
    verification_claim(verification_id=str(v.pk))
    assert verifications_reap() == {"requeued": 0, "failed": 0, "reenqueued": 0}
