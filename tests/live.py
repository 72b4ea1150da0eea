"""A real stack for end-to-end tests: `runserver` + a django-q2 `qcluster`
worker as subprocesses, on their own SQLite database and media folder.

Black-box on purpose: these tests see the product as a user or an
integrator does, through HTTP only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveStack:
    var_dir: Path
    port: int
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 120) -> str:
        out = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return out.stdout

    def create_account(
        self, email: str, plan: str = "free", password: str = "correct-horse-battery"
    ) -> dict:
        return json.loads(
            self.manage("create_account", email, "--plan", plan, "--password", password)
        )

    def _spawn(self, log_name: str, *args: str) -> subprocess.Popen:
        """A manage.py command in its own session (so stop() can kill its children), logged."""
        log = open(self.var_dir / log_name, "ab")  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def start(self, *, worker: bool = True) -> LiveStack:
        self.manage("migrate", "--noinput", timeout=300)
        self._spawn("web.log", "runserver", f"127.0.0.1:{self.port}", "--noreload")
        if worker:
            self.start_worker()
        self.wait_ready()
        return self

    def start_worker(self) -> subprocess.Popen:
        return self._spawn("worker.log", "qcluster")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/v1/public/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("live server did not start; see " + str(self.var_dir / "web.log"))

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def make_stack(var_dir: Path, **extra_env: str) -> LiveStack:
    port = free_port()
    env = {
        **os.environ,
        "LUMETHIC_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_SETTINGS_MODULE": "lumethic.settings",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "false",
        "HEARTBEAT_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    # DATABASE_URL / REDIS_URL pass through from the scale-out suite; without
    # them the stack gets a fresh SQLite file under var_dir.
    return LiveStack(var_dir=var_dir, port=port, env=env)


def wait_for_status(get_json, verification_id: str, *, timeout: float = 120) -> dict:  # noqa: ANN001
    """Poll until the verification leaves queued/in_progress."""
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = get_json(f"/v1/verifications/{verification_id}")
        if body.get("status") in ("completed", "failed"):
            return body
        time.sleep(0.5)
    raise AssertionError(
        f"verification {verification_id} still {body.get('status')} after {timeout}s"
    )
