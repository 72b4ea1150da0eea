"""Run the forensic engine in a child process with hard limits.

A hostile RAW can exhaust memory, spin a decoder or write a huge file; the
limits make the child die alone, and the worker turns that into a readable
failure instead of a lost task.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PR_SET_PDEATHSIG = 1
MAX_OUTPUT_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class EngineOutcome:
    kind: str  # "report" | "unreadable" | "crashed" | "timeout"
    report: dict = field(default_factory=dict)
    reason: str = ""
    seconds: float = 0.0


def _limit_child() -> None:  # runs in the child between fork and exec
    mem = settings.ENGINE_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    cpu = max(2, int(settings.ENGINE_TIMEOUT_SECONDS * 2))  # two cores may both be busy
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_FILE_BYTES, MAX_OUTPUT_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.setsid()
    try:  # die with the worker, so a killed worker leaves no orphan decoding on
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else ""


_FIELDS = {"raw": "The RAW file", "image": "The JPEG"}


def _unreadable_reason(stderr: str) -> str:
    """The CLI's `unreadable raw: <why>` line as a sentence naming the file."""
    line = _last_line(stderr)
    prefix, sep, why = line.partition(": ")
    field = prefix.removeprefix("unreadable ").strip()
    if sep and prefix.startswith("unreadable ") and field in _FIELDS:
        why = why.strip()
        return f"{_FIELDS[field]} could not be used: {why[:1].lower()}{why[1:]}"
    return line or "The files could not be read."


def run_engine(
    raw_path: Path,
    image_path: Path,
    out_dir: Path,
    *,
    on_tick: Callable[[], None] = lambda: None,
) -> EngineOutcome:
    cmd = [
        sys.executable,
        "-m",
        "verifications.forensics",
        str(raw_path),
        str(image_path),
        "--json",
        "--out",
        str(out_dir),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "2", "PYTHONHASHSEED": "0"}
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=settings.BASE_DIR,
        env=env,
        preexec_fn=_limit_child,  # noqa: PLW1509 - limits must be set before exec
    )
    deadline = started + settings.ENGINE_TIMEOUT_SECONDS
    while True:
        try:
            wait = max(0.05, min(settings.HEARTBEAT_SECONDS, deadline - time.monotonic()))
            stdout, stderr = proc.communicate(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            on_tick()
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                return EngineOutcome(
                    "timeout",
                    reason=f"The analysis did not finish within {settings.ENGINE_TIMEOUT_SECONDS} seconds.",
                    seconds=time.monotonic() - started,
                )
    seconds = time.monotonic() - started
    err = stderr.decode("utf-8", "replace")
    if proc.returncode == 2:
        return EngineOutcome("unreadable", reason=_unreadable_reason(err), seconds=seconds)
    if proc.returncode in (0, 1):
        try:
            return EngineOutcome("report", report=json.loads(stdout), seconds=seconds)
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    if proc.returncode < 0:
        name = signal.Signals(-proc.returncode).name
        reason = f"The analysis process was stopped by {name} (memory or time limit, or a crash)."
    else:
        reason = (
            f"The analysis process failed: {_last_line(err) or 'exit code ' + str(proc.returncode)}"
        )
    return EngineOutcome("crashed", reason=reason, seconds=seconds)
