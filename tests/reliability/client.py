"""A thin HTTP client for the live stack, plus process helpers for fault injection."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.live import LiveStack

TERMINAL = ("completed", "failed")


@dataclass
class Caller:
    stack: LiveStack
    key: str

    def _url(self, path: str) -> str:
        return self.stack.url + path

    def get(self, path: str, **kw: object) -> requests.Response:
        return requests.get(self._url(path), headers={"X-API-Key": self.key}, timeout=30, **kw)

    def upload(self, raw: Path, image: Path) -> requests.Response:
        with open(raw, "rb") as r, open(image, "rb") as i:
            files = {"raw": (raw.name, r), "image": (image.name, i)}
            return requests.post(
                self._url("/v1/verifications/"),
                headers={"X-API-Key": self.key},
                files=files,
                timeout=60,
            )

    def wait_terminal(self, ids: list[str], timeout: float, on_idle=None) -> dict[str, dict]:  # noqa: ANN001
        """Poll until every id is completed or failed; `on_idle()` runs between rounds."""
        done: dict[str, dict] = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(done) < len(ids):
            for vid in ids:
                if vid not in done:
                    body = self.get(f"/v1/verifications/{vid}").json()
                    if body.get("status") in TERMINAL:
                        done[vid] = body
            if len(done) < len(ids):
                if on_idle:
                    on_idle()
                time.sleep(1)
        return done


def new_caller(stack: LiveStack, email: str, plan: str = "professional") -> Caller:
    return Caller(stack, stack.create_account(email, plan)["api_key"])


def shell(stack: LiveStack, code: str) -> str:
    return stack.manage("shell", "--verbosity", "0", "-c", code, timeout=120)


def shell_value(stack: LiveStack, code: str) -> str:
    """The last line a `print()` in `code` wrote."""
    return shell(stack, code).strip().splitlines()[-1]


def reap(stack: LiveStack) -> dict:
    out = shell(
        stack,
        "import json; from verifications.tasks import reap_stale; print(json.dumps(reap_stale()))",
    )
    return json.loads(out.strip().splitlines()[-1])


def rows(stack: LiveStack, ids: list[str]) -> dict[str, dict]:
    """status, attempts and result count per verification, straight from the database."""
    code = (
        "import json; from verifications.models import Verification as V; "
        f"ids = {ids!r}; "
        "print(json.dumps({str(v.pk): {'status': v.status, 'attempts': v.attempts, "
        "'results': v.results.count(), 'verificators': list(v.results.values_list("
        "'verificator_id', flat=True)), 'reason': v.failure_reason} "
        "for v in V.objects.filter(pk__in=ids)}))"
    )
    return json.loads(shell(stack, code).strip().splitlines()[-1])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def engine_children(worker_pid: int) -> list[int]:
    """The sandboxed `python -m verifications.forensics` children under a qcluster."""
    found = []
    for pid in descendants(worker_pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"verifications.forensics" in cmd:
            found.append(pid)
    return found


def kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False


def dump(obj: object) -> str:
    return json.dumps(obj, indent=1, default=str)[:3000]
