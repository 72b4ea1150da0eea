"""`python -m bench`: the accuracy harness, then the speed bench; writes docs/benchmarks.md.

python -m bench --quick               small case set for development (~5-10 min, 1 worker)
python -m bench                       full: 8 cases per kind on 2 workers, then speed
python -m bench --n 20 --no-speed     more cases per kind, accuracy only
python -m bench --only splice,text    some kinds only (repeatable / comma-separated)
python -m bench --list                print the kinds and exit
python -m bench --speed-only          only the 24 MP speed bench (bench/speed.py)
python -m bench --rescore var/bench/results-X.jsonl   tables from a (partial) results file
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from bench import accuracy, report
from bench.cases import KINDS, plan
from bench.seeds import EXCLUDED_PHOTOS, VAR, discover_seeds


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--quick", action="store_true", help="few seeds, small frames, n=2")
    ap.add_argument("--n", type=int, default=None, help="cases per kind (default 8; quick 2)")
    ap.add_argument("--only", action="append", default=[], help="kind(s) or category(ies)")
    ap.add_argument("--seeds", default="", help="only seeds whose name contains this")
    ap.add_argument("--split", choices=["all", "tuning", "heldout"], default="all")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default 2; quick 1)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per case")
    ap.add_argument(
        "--engine",
        default=accuracy.DEFAULT_ENGINE,
        help="module:function or file.py:function to benchmark",
    )
    ap.add_argument("--no-speed", action="store_true", help="skip the speed bench")
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--speed-runs", type=int, default=3)
    ap.add_argument("--list", action="store_true", help="list kinds and exit")
    ap.add_argument("--rescore", metavar="JSONL", help="rebuild the tables from a results file")
    return ap.parse_args(argv)


def select_kinds(only: list[str]) -> list[str]:
    wanted = {w.strip() for item in only for w in item.split(",") if w.strip()}
    if not wanted:
        return list(KINDS)
    unknown = wanted - set(KINDS) - {k.category for k in KINDS.values()}
    if unknown:
        sys.exit(f"unknown kind(s) {sorted(unknown)}; see --list")
    return [k for k, spec in KINDS.items() if k in wanted or spec.category in wanted]


def run_accuracy(a: argparse.Namespace, command: str) -> None:
    n = a.n or (2 if a.quick else 8)
    a.jobs = a.jobs or (1 if a.quick else 2)
    t0 = time.perf_counter()
    seeds = discover_seeds(quick=a.quick)
    seeds_in = [s for s in seeds if (a.split == "all" or s.split == a.split) and a.seeds in s.name]
    for s in seeds_in:
        _ = s.honest_jpeg  # build seed files once, before the workers start
    todo = [
        (kind, i, seed.name, a.timeout) for kind, i, seed in plan(seeds_in, select_kinds(a.only), n)
    ]
    print(
        f"{len(seeds_in)} seeds ({sum(s.split == 'heldout' for s in seeds_in)} held out), "
        f"{len(todo)} cases, engine {a.engine}, jobs {a.jobs}",
        flush=True,
    )
    results = VAR / f"results-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.jsonl"
    results.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "command": command,
        "n": n,
        "jobs": a.jobs,
        "engine": a.engine,
        "revision": report.revision(),
        "seeds": len(seeds_in),
    }
    results.with_suffix(".meta.json").write_text(json.dumps(meta, indent=1))
    done = [0]

    def progress(row: dict[str, Any]) -> None:
        done[0] += 1
        with open(results, "a") as f:  # row by row: an interrupted run keeps its data
            f.write(json.dumps(row, default=str) + "\n")
        mark = "ok " if row["correct"] else "BAD"
        extra = row.get("error") or f"{row['result']} {row['confidence']:.2f}"
        print(
            f"[{done[0]:4d}/{len(todo)}] {mark} {row['case_id']:<24} {row['split']:<8} "
            f"{extra[:70]:<40} {row['seconds']:.2f}s",
            flush=True,
        )

    rows = accuracy.run_all(todo, engine=a.engine, seeds=seeds, jobs=a.jobs, progress=progress)
    header = [
        f"- command: `{command}`",
        f"- engine: `{a.engine}` at {report.revision()}",
        f"- cases: {len(rows)} from {len(seeds_in)} seeds; n={n} per kind; "
        f"wall {time.perf_counter() - t0:.0f} s; rows in `{results.relative_to(VAR.parents[1])}`",
    ]
    publish(rows, header)


def rescore(path: Path, command: str) -> None:
    """Rebuild the accuracy section from a results file (also a partial, interrupted one)."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    dropped = [r for r in rows if any(p in r["seed"] for p in EXCLUDED_PHOTOS)]
    rows = [r for r in rows if r not in dropped]  # seeds excluded after the run
    meta_path = path.with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    header = [
        f"- run: `{meta.get('command', '?')}` (n={meta.get('n', '?')} per kind, "
        f"{meta.get('jobs', '?')} workers), engine `{meta.get('engine', '?')}` at "
        f"{meta.get('revision', '?')}",
        f"- tables rebuilt with `{command}`: {len(rows)} rows"
        + (f"; {len(dropped)} rows of since-excluded seeds dropped" if dropped else ""),
    ]
    publish(rows, header)


def publish(rows: list[dict[str, Any]], header: list[str]) -> None:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = ["## Accuracy", "", f"- date: {report.stamp()}", f"- machine: {report.machine()}"]
    lines.append(f"- load average (1/5/15 min) at the end: {load} (shared cores inflate seconds)")
    lines += [*header, ""]
    for split in ("tuning", "heldout"):
        if not any(r["split"] == split for r in rows):
            continue
        lines += [
            f"### {split}",
            "",
            *accuracy.target_lines(rows, split),
            "",
            *accuracy.kind_table(rows, split),
            "",
            *accuracy.area_lines(rows, split),
            "",
            *accuracy.calibration_lines(rows, split),
            "",
            *accuracy.verificator_lines(rows, split),
            "",
        ]
    bad = accuracy.failures(rows)
    if bad:
        lines += ["### Wrong verdicts (first 15)", "", *bad, ""]
    print("\n".join(lines))
    print(f"wrote {report.write_section('accuracy', lines)}")


def main(argv: list[str] | None = None) -> int:
    a = parse(argv)
    command = " ".join(["python -m bench", shlex.join(argv if argv is not None else sys.argv[1:])])
    command = command.strip()
    if a.list:
        for k, spec in KINDS.items():
            print(f"{k:<20} {spec.category}")
        return 0
    if a.rescore:
        rescore(Path(a.rescore), command)
        return 0
    if not a.speed_only:
        run_accuracy(a, command)
    if not a.no_speed and not a.quick or a.speed_only:
        from bench import speed

        speed.main(["--runs", str(a.speed_runs), "--engine", a.engine])
    return 0


if __name__ == "__main__":
    sys.exit(main())
