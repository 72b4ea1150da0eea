"""Load on loopback: 20 users polling a verification and the list, 2 users uploading.

    .venv/bin/python -m tests.reliability.load --db sqlite --seconds 30
    .venv/bin/python -m tests.reliability.load --db postgres --seconds 30

Starts a live stack (runserver + qcluster) on 127.0.0.1, PostgreSQL on its own
throw-away cluster when asked (port 55532, so it never touches the scale-out
suite's), runs locust headless for a bounded time and prints p50/p95/p99,
requests per second and errors; figures go to var/reliability/load-<db>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.live import REPO, make_stack

PG_PORT = 55532
PGDATA = Path("/tmp/lumethic-reliability-pg")
LOCUSTFILE = """
import os, random
from locust import HttpUser, between, task

KEY = os.environ["LOAD_KEY"]
IDS = os.environ["LOAD_IDS"].split(",")
RAW, IMAGE = os.environ["LOAD_RAW"], os.environ["LOAD_IMAGE"]


class Poller(HttpUser):
    fixed_count = 20
    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.client.headers["X-API-Key"] = KEY

    @task(3)
    def poll(self):
        self.client.get(f"/v1/verifications/{random.choice(IDS)}", name="GET /v1/verifications/{id}")

    @task(1)
    def listing(self):
        self.client.get("/v1/verifications/?size=20", name="GET /v1/verifications/")


class Uploader(HttpUser):
    fixed_count = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["X-API-Key"] = KEY

    @task
    def upload(self):
        with open(RAW, "rb") as r, open(IMAGE, "rb") as i:
            self.client.post("/v1/verifications/", files={"raw": ("a.dng", r), "image": ("a.jpg", i)},
                             name="POST /v1/verifications/")
"""


def _pg_bin() -> Path:
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]


def start_postgres() -> str:
    """A throw-away cluster on 127.0.0.1:PG_PORT (PostgreSQL refuses to run as root)."""
    stop_postgres()
    PGDATA.mkdir(parents=True)
    shutil.chown(PGDATA, "postgres", "postgres")
    run = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *run,
            str(_pg_bin() / "initdb"),
            "-D",
            str(PGDATA),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    opts = f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
    subprocess.run(
        [
            *run,
            str(_pg_bin() / "pg_ctl"),
            "-D",
            str(PGDATA),
            "-l",
            str(PGDATA / "log"),
            "-w",
            "-o",
            opts,
            "start",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*run, str(_pg_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "lumethic"],
        check=True,
        capture_output=True,
    )
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/lumethic"


def stop_postgres() -> None:
    if (PGDATA / "postmaster.pid").exists():
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(_pg_bin() / "pg_ctl"),
                "-D",
                str(PGDATA),
                "-m",
                "fast",
                "stop",
            ],
            capture_output=True,
        )
    shutil.rmtree(PGDATA, ignore_errors=True)


def _aggregate(csv_prefix: Path) -> dict:
    rows = list(csv.DictReader(open(f"{csv_prefix}_stats.csv")))
    out = {}
    for row in rows:
        out[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "rps": round(float(row["Requests/s"]), 1),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seconds", type=int, default=30)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lumethic-load-"))
    extra = {"API_RATE_LIMIT": "1000000/min", "LOG_LEVEL": "WARNING"}
    if args.db == "postgres":
        extra["DATABASE_URL"] = start_postgres()
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    stack = make_stack(work / "stack", **extra)
    assert stack.url.startswith("http://127.0.0.1:")  # loopback only, ever
    (work / "stack").mkdir()
    try:
        stack.start(worker=True)
        key = stack.create_account("load@example.com", "enterprise")["api_key"]
        from tests.factories.dng import make_pair

        raw, image = make_pair(work, size=(256, 176), source="astronaut", seed=1)
        ids = []
        for _ in range(3):
            out = subprocess.run(
                [
                    "curl",
                    "-s",
                    "-H",
                    f"X-API-Key: {key}",
                    "-F",
                    f"raw=@{raw}",
                    "-F",
                    f"image=@{image}",
                    stack.url + "/v1/verifications/",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            ids.append(json.loads(out.stdout)["id"])
        (work / "locustfile.py").write_text(LOCUSTFILE)
        env = {
            **os.environ,
            "LOAD_KEY": key,
            "LOAD_IDS": ",".join(ids),
            "LOAD_RAW": str(raw),
            "LOAD_IMAGE": str(image),
        }
        started = time.time()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(work / "locustfile.py"),
                "--headless",
                "-u",
                "22",
                "-r",
                "22",
                "-t",
                f"{args.seconds}s",
                "--host",
                stack.url,
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            env=env,
            cwd=work,
            check=True,
            timeout=args.seconds + 120,
        )
        stats = _aggregate(work / "load")
    finally:
        stack.stop()
        if args.db == "postgres":
            stop_postgres()
    result = {
        "db": args.db,
        "seconds": args.seconds,
        "users": "20 polling + 2 uploading",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}, load avg at start {os.getloadavg()[0]:.1f}",
        "stats": stats,
    }
    dest = REPO / "var" / "reliability" / f"load-{args.db}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
