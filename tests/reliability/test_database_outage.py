"""The database briefly unavailable: polling answers 503 with Retry-After, then recovers."""

from __future__ import annotations

import os

import pytest

from tests.reliability.client import new_caller
from tests.reliability.figures import record

pytestmark = pytest.mark.live


def test_polling_during_a_database_outage_is_503_not_500_and_recovers(quiet_stack, bases):
    caller = new_caller(quiet_stack, "outage@example.com")
    vid = caller.upload(bases["dng"], bases["jpeg"]).json()["id"]
    db = quiet_stack.var_dir / "lumethic.sqlite3"
    files = [db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm")]
    moved = []
    try:
        for f in files:  # the database disappears (disk unmounted, file replaced...)
            try:
                os.rename(f, f.with_name(f.name + ".away"))
            except FileNotFoundError:
                continue  # SQLite checkpointed and removed its -wal/-shm meanwhile
            moved.append(f)
        during = [caller.get(f"/v1/verifications/{vid}") for _ in range(5)]
        health = caller.get("/v1/public/health")
        listing = caller.get("/v1/verifications/")
    finally:
        for f in files:  # the empty file SQLite created meanwhile is not ours
            if f.exists():
                f.unlink()
        for f in moved:
            os.rename(f.with_name(f.name + ".away"), f)
    after = caller.get(f"/v1/verifications/{vid}")
    statuses = [r.status_code for r in (*during, health, listing)]
    record(
        "database_outage",
        statuses_during=sorted(set(statuses)),
        status_after=after.status_code,
        retry_after=during[0].headers.get("Retry-After"),
    )
    assert statuses == [503] * len(statuses)
    assert all(r.headers.get("Retry-After") and r.json()["detail"] for r in during)
    assert after.status_code == 200 and after.json()["id"] == vid
