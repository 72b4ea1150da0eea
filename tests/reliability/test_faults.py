"""Faults: the worker or the decoder child killed mid-task, a poison file, a lost database.

Every verification must end completed or failed, never stuck and never with
duplicated results. The stack runs on a fast clock (heartbeat 1 s, stale
after 8 s) and the reaper is invoked directly instead of waiting for its
one-minute schedule.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reliability.client import (
    TERMINAL,
    dump,
    engine_children,
    kill,
    new_caller,
    reap,
    rows,
)
from tests.reliability.figures import record

pytestmark = pytest.mark.live
BATCH = 20


def _upload_batch(caller, raw: Path, image: Path) -> list[str]:  # noqa: ANN001
    with ThreadPoolExecutor(BATCH) as pool:
        responses = list(pool.map(lambda _: caller.upload(raw, image), range(BATCH)))
    assert [r.status_code for r in responses] == [201] * BATCH, [r.text[:200] for r in responses]
    return [r.json()["id"] for r in responses]


def _wait_in_progress(caller, ids: list[str], timeout: float = 120) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = {caller.get(f"/v1/verifications/{v}").json()["status"] for v in ids[:6]}
        if "in_progress" in statuses:
            return
        time.sleep(0.3)
    raise AssertionError("no verification started")


def _assert_settled(stack, ids: list[str], bodies: dict) -> dict:  # noqa: ANN001
    db = rows(stack, ids)
    stuck = [v for v in ids if db[v]["status"] not in TERMINAL]
    duplicated = [v for v, r in db.items() if len(r["verificators"]) != len(set(r["verificators"]))]
    unreadable = [
        v for v, b in bodies.items() if b["status"] == "failed" and not b["failure_reason"]
    ]
    assert stuck == [], dump({v: db[v] for v in stuck})
    assert duplicated == [], dump({v: db[v] for v in duplicated})
    assert unreadable == []
    for vid, body in bodies.items():
        if body["status"] == "completed":
            assert body["results"] and db[vid]["results"] == len(body["results"])
    return {
        "completed": sum(1 for r in db.values() if r["status"] == "completed"),
        "failed": sum(1 for r in db.values() if r["status"] == "failed"),
        "stuck": len(stuck),
        "duplicated_results": len(duplicated),
        "max_attempts": max(r["attempts"] for r in db.values()),
    }


def test_twenty_uploads_survive_a_sigkilled_worker(stack, bases) -> None:
    caller = new_caller(stack, "kill-worker@example.com")
    ids = _upload_batch(caller, bases["dng"], bases["jpeg"])
    started = time.monotonic()
    _wait_in_progress(caller, ids)
    worker = next(p for p in reversed(stack.procs) if p.poll() is None and "qcluster" in p.args)
    os.killpg(worker.pid, signal.SIGKILL)  # master, workers and engine children at once
    worker.wait(timeout=30)
    killed_at = time.monotonic()
    stack.start_worker()
    reaped: list[dict] = []
    last = [0.0]

    def reap_now() -> None:  # the scheduled reaper runs every minute; call it sooner
        if time.monotonic() - last[0] > 5:
            last[0] = time.monotonic()
            reaped.append(reap(stack))

    bodies = caller.wait_terminal(ids, timeout=240, on_idle=reap_now)
    figures = _assert_settled(stack, ids, bodies)
    record(
        "fault_worker_sigkill",
        uploads=BATCH,
        **figures,
        requeued_by_reaper=sum(r["requeued"] + r["reenqueued"] for r in reaped),
        seconds_to_settle_after_kill=round(time.monotonic() - killed_at, 1),
        seconds_total=round(time.monotonic() - started, 1),
    )
    assert figures["completed"] == BATCH


def test_twenty_uploads_survive_killed_decoder_children(stack, bases) -> None:
    caller = new_caller(stack, "kill-decoder@example.com")
    worker = next(p for p in reversed(stack.procs) if p.poll() is None and "qcluster" in p.args)
    ids = _upload_batch(caller, bases["dng"], bases["jpeg"])
    killed: list[int] = []
    deadline = time.monotonic() + 60
    while len(killed) < 3 and time.monotonic() < deadline:  # three children die mid-decode
        for pid in engine_children(worker.pid)[:1]:
            if pid not in killed and kill(pid):
                killed.append(pid)
        time.sleep(0.2)
    assert len(killed) == 3
    bodies = caller.wait_terminal(ids, timeout=240, on_idle=lambda: None)
    figures = _assert_settled(stack, ids, bodies)
    record("fault_decoder_sigkill", uploads=BATCH, children_killed=len(killed), **figures)
    # One kill costs one attempt; the second attempt completes.
    assert figures["completed"] + figures["failed"] == BATCH
    assert figures["completed"] >= BATCH - 1


def test_a_poison_file_ends_failed_after_at_most_two_attempts(stack, bases) -> None:
    caller = new_caller(stack, "poison@example.com")
    worker = next(p for p in reversed(stack.procs) if p.poll() is None and "qcluster" in p.args)
    vid = caller.upload(bases["dng"], bases["jpeg"]).json()["id"]
    kills = 0
    deadline = time.monotonic() + 120
    body: dict = {}
    while time.monotonic() < deadline:  # the decoder dies on every attempt, like a poison file
        for pid in engine_children(worker.pid):
            kills += kill(pid)
        body = caller.get(f"/v1/verifications/{vid}").json()
        if body["status"] in TERMINAL:
            break
        time.sleep(0.1)
    db = rows(stack, [vid])[vid]
    record(
        "fault_poison",
        status=body["status"],
        attempts=db["attempts"],
        decoder_kills=kills,
        reason=body["failure_reason"],
    )
    assert body["status"] == "failed"
    assert db["attempts"] <= 2 and kills <= 2
    assert "SIGKILL" in body["failure_reason"] and "stopped trying" in body["failure_reason"]
