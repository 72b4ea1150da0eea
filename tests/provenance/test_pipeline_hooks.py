"""after_analysis: provenance may add evidence to a report, never lose or crash it."""

from __future__ import annotations

import logging

from tests.provenance.cameras import shoot
from tests.provenance.engine import submit


def test_a_failing_step_is_logged_and_the_others_still_run(
    alice, process, monkeypatch, tmp_path, caplog
):
    def explode(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise MemoryError("hostile RAW")

    monkeypatch.setattr("provenance.rawio.read_green", explode)
    with caplog.at_level(logging.ERROR, logger="provenance.pipeline_hooks"):
        v = submit(
            alice, process, monkeypatch, shoot(tmp_path, sensor_seed=3, shot=1, size=(256, 256))
        )
    assert v.status == "completed" and v.result is True
    assert v.image_metadata["c2pa"] == {"present": False}
    assert v.security_score is not None
    assert "camera_fingerprint failed" in caplog.text


def test_a_database_error_in_a_step_does_not_spoil_the_report(
    alice, process, monkeypatch, tmp_path
):
    from django.db import DatabaseError

    def broken(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise DatabaseError("deadlock")

    monkeypatch.setattr("provenance.pipeline_hooks.sequence_conflicts", broken)
    v = submit(alice, process, monkeypatch, shoot(tmp_path, sensor_seed=3, shot=1, size=(256, 256)))
    assert v.status == "completed"
    assert v.results.filter(verificator_id="raw_integrity").exists()


def test_the_provenance_steps_are_timed(alice, process, monkeypatch, tmp_path):
    v = submit(alice, process, monkeypatch, shoot(tmp_path, sensor_seed=3, shot=1, size=(256, 256)))
    assert {"provenance_camera_fingerprint", "provenance_c2pa"} <= set(v.timings)
    assert v.timings["provenance_camera_fingerprint"] < 2.0
