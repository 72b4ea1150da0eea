"""Every corpus file and a representative subset of the mutations, uploaded through /v1.

0 server errors, every refusal a 422 naming the field, every accepted upload
settled (completed, or failed with a sentence) well before the 10-minute mark.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reliability.client import dump, new_caller
from tests.reliability.figures import record
from tests.reliability.fuzz import MUTATIONS, generate
from tests.reliability.test_hostile_files_engine import corpus_files

pytestmark = pytest.mark.live
SUBSET_EVERY = 12  # every 12th mutation: all four bases and most kinds appear
SETTLE_SECONDS = 300


def test_hostile_uploads_never_5xx_and_every_accepted_one_settles_with_a_reason(
    stack, bases, tmp_path: Path
) -> None:
    caller = new_caller(stack, "hostile@example.com", plan="enterprise")
    mutated = generate(bases, tmp_path / "mutations", MUTATIONS)[::SUBSET_EVERY]
    uploads = [(p.name, p, bases["jpeg"]) for p in corpus_files()] + mutated
    assert len(uploads) >= 60

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda u: (u[0], caller.upload(u[1], u[2])), uploads))
    server_errors = [(n, r.status_code, r.text[:200]) for n, r in responses if r.status_code >= 500]
    refused = [(n, r) for n, r in responses if r.status_code == 422]
    accepted = {r.json()["id"]: n for n, r in responses if r.status_code == 201}
    other = [(n, r.status_code) for n, r in responses if r.status_code not in (201, 422)]
    assert server_errors == []
    assert other == []
    for name, response in refused:  # a person can tell which file is wrong and why
        items = response.json()["detail"]
        assert items and items[0]["loc"][:2] in (["body", "raw"], ["body", "image"]), name
        assert items[0]["msg"].endswith("."), (name, items)

    started = time.monotonic()
    bodies = caller.wait_terminal(list(accepted), timeout=SETTLE_SECONDS)
    stuck = {vid: accepted[vid] for vid in accepted if vid not in bodies}
    failed = {vid: b for vid, b in bodies.items() if b["status"] == "failed"}
    readable = [b for b in failed.values() if (b["failure_reason"] or "").endswith(".")]
    record(
        "api_hostile_uploads",
        uploads=len(uploads),
        corpus_files=len(uploads) - len(mutated),
        mutations=len(mutated),
        server_errors=len(server_errors),
        refused_422=len(refused),
        accepted_201=len(accepted),
        completed=sum(1 for b in bodies.values() if b["status"] == "completed"),
        failed=len(failed),
        failed_with_readable_reason=len(readable),
        stuck_after_seconds={"seconds": SETTLE_SECONDS, "stuck": len(stuck)},
        settle_seconds=round(time.monotonic() - started, 1),
        failure_reasons=sorted({b["failure_reason"][:120] for b in failed.values()}),
    )
    assert stuck == {}, dump(stuck)
    assert len(readable) == len(failed), dump(failed)
