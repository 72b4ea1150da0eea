"""Run the engine CLI on many file pairs cheaply: a fork server, limits like production.

The engine's imports (numpy, LibRaw, SciPy) take seconds on a busy machine, so
a fresh helper process (`python -m tests.reliability.harness`, single-threaded
BLAS so forking is safe) imports them once and forks a child per pair. The
child gets the limits of `verifications.engine_runner` (address space, CPU
time, file size) and runs the CLI's own `main()`, so exit codes and messages
are the CLI's: 0/1 report, 2 unreadable with one line on stderr. `os.wait4`
returns each child's peak RSS (ru_maxrss).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAX_OUTPUT_FILE_BYTES = 512 * 1024 * 1024  # as verifications.engine_runner


@dataclass
class Run:
    name: str
    exit_code: int | None  # None: killed by a signal
    signal: int | None
    stderr: str
    stdout_bytes: int
    seconds: float
    maxrss_kib: int


def run_pairs(
    pairs: list[tuple[str, Path, Path]],
    work: Path,
    *,
    parallel: int = 2,
    memory: int = 3 * 1024**3,
    cpu_seconds: int = 60,
) -> list[Run]:
    """Run every (name, raw, image) pair in the fork server; `parallel` children at once."""
    work.mkdir(parents=True, exist_ok=True)
    job = work / "job.json"
    job.write_text(
        json.dumps(
            {
                "pairs": [[n, str(r), str(i)] for n, r, i in pairs],
                "work": str(work),
                "parallel": parallel,
                "memory": memory,
                "cpu": cpu_seconds,
            }
        )
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "tests.reliability.harness", str(job)],
        cwd=REPO,
        env=env,
        check=True,
        timeout=1800,
    )
    return [Run(**row) for row in json.loads((work / "runs.json").read_text())]


def _child(raw: str, image: str, out_dir: Path, memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_FILE_BYTES, MAX_OUTPUT_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = os.open(out_dir / "stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(out_dir / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    code = 70
    try:
        from verifications.forensics.__main__ import main

        code = main([raw, image, "--json"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    except BaseException:  # a traceback is a finding: keep it for the assertion
        import traceback

        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _serve(job: dict) -> list[dict]:
    import verifications.forensics.__main__  # noqa: F401 - import once, before forking

    work = Path(job["work"])
    pending = list(job["pairs"])
    running: dict[int, tuple[str, Path, float]] = {}
    runs: list[dict] = []
    index = 0
    while pending or running:
        while pending and len(running) < job["parallel"]:
            name, raw, image = pending.pop(0)
            out_dir = work / f"run-{index:04d}"
            index += 1
            out_dir.mkdir(parents=True, exist_ok=True)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child never returns
                try:
                    _child(raw, image, out_dir, job["memory"], job["cpu"])
                finally:
                    os._exit(71)
            running[pid] = (name, out_dir, time.monotonic())
        pid, status, usage = os.wait4(-1, 0)
        name, out_dir, started = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        run = Run(
            name=name,
            exit_code=code if code >= 0 else None,
            signal=-code if code < 0 else None,
            stderr=(out_dir / "stderr").read_text(errors="replace")[-4000:],
            stdout_bytes=(out_dir / "stdout").stat().st_size,
            seconds=round(time.monotonic() - started, 3),
            maxrss_kib=usage.ru_maxrss,
        )
        runs.append(asdict(run))
    return runs


def signal_name(number: int | None) -> str:
    return signal.Signals(number).name if number else ""


if __name__ == "__main__":
    spec = json.loads(Path(sys.argv[1]).read_text())
    result = _serve(spec)
    (Path(spec["work"]) / "runs.json").write_text(json.dumps(result))
