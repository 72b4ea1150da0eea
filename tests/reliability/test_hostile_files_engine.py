"""Hundreds of hostile RAW and JPEG variants through the engine CLI, sandboxed like production.

The bulk of the fuzzing runs here (fork per file, see harness.py) because the
live API path costs seconds per file; test_hostile_files_api.py pushes the
corpus and a representative subset of these mutations through the real stack.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.reliability.figures import record
from tests.reliability.fuzz import MUTATIONS, classify, generate
from tests.reliability.harness import run_pairs

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def mutated_pairs(bases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> list:
    return generate(bases, tmp_path_factory.mktemp("mutations"), MUTATIONS)


def test_hypothesis_draws_over_three_hundred_distinct_mutations_of_every_base(mutated_pairs):
    assert len(mutated_pairs) >= 300
    kinds = {name.split("-")[0] for name, _raw, _img in mutated_pairs}
    assert kinds == {"dng", "camera_dng", "nef", "jpeg"}


def test_every_mutation_ends_in_a_report_or_a_one_line_reason_within_the_limits(
    mutated_pairs, tmp_path: Path
) -> None:
    runs = run_pairs(mutated_pairs, tmp_path)
    outcomes: dict[str, int] = {}
    for run in runs:
        outcomes[classify(run)] = outcomes.get(classify(run), 0) + 1
    broken = [(r.name, r.exit_code, r.stderr[-400:]) for r in runs if classify(r) == "broken"]
    peak = max(runs, key=lambda r: r.maxrss_kib)
    slowest = max(runs, key=lambda r: r.seconds)
    record(
        "engine_mutations",
        files=len(runs),
        outcomes=outcomes,
        broken=len(broken),
        peak_rss_mib=round(peak.maxrss_kib / 1024, 1),
        peak_rss_file=peak.name,
        slowest_seconds=round(slowest.seconds, 2),
        slowest_file=slowest.name,
        total_seconds=round(sum(r.seconds for r in runs), 1),
    )
    # A signal-killed child is turned into a readable failure by the worker
    # (tested live); a traceback or a silent odd exit code is a bug.
    assert broken == []
    assert peak.maxrss_kib < 3 * 1024 * 1024


def corpus_files() -> list[Path]:
    folders = [CORPUS / "bad_input", CORPUS / "unsupported"]
    return sorted(p for f in folders if f.is_dir() for p in f.iterdir() if p.is_file())


def test_every_corpus_file_is_refused_with_a_one_line_reason(bases, tmp_path: Path) -> None:
    files = corpus_files()
    assert len(files) >= 35
    runs = run_pairs([(p.name, p, bases["jpeg"]) for p in files], tmp_path)
    outcomes = {r.name: classify(r) for r in runs}
    record(
        "engine_corpus",
        files=len(runs),
        unreadable=sum(1 for v in outcomes.values() if v == "unreadable"),
        peak_rss_mib=round(max(r.maxrss_kib for r in runs) / 1024, 1),
        reasons={r.name: r.stderr.strip()[:160] for r in runs},
    )
    assert {name: v for name, v in outcomes.items() if v != "unreadable"} == {}


def test_the_valid_bases_still_produce_a_report(bases, tmp_path: Path) -> None:
    pairs = [("dng", bases["dng"], bases["jpeg"])]
    (run,) = run_pairs(pairs, tmp_path)
    assert classify(run) == "report", run.stderr
    report = json.loads((tmp_path / "run-0000" / "stdout").read_text())
    assert report["analyses"]
    record(
        "engine_valid_pair",
        seconds=round(run.seconds, 2),
        peak_rss_mib=round(run.maxrss_kib / 1024, 1),
    )
