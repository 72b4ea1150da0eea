"""Abuse limits on a live server: per-key rate limit, body limits, slow and aborted uploads."""

from __future__ import annotations

import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.reliability.client import new_caller, shell_value
from tests.reliability.figures import record

pytestmark = pytest.mark.live


def test_a_burst_of_100_against_60_per_minute_refuses_exactly_the_40_in_excess(quiet_stack):
    caller = new_caller(quiet_stack, "burst@example.com")
    other = new_caller(quiet_stack, "bystander@example.com")
    with ThreadPoolExecutor(10) as pool:  # concurrent, as a misbehaving client would send them
        responses = list(pool.map(lambda _: caller.get("/v1/verifications/"), range(100)))
    codes = [r.status_code for r in responses]
    refused = [r for r in responses if r.status_code == 429]
    retry_after = sorted({int(r.headers["Retry-After"]) for r in refused})
    bystander = other.get("/v1/verifications/").status_code
    record(
        "rate_limit_burst",
        limit="60/min",
        burst=100,
        admitted=codes.count(200),
        refused_429=len(refused),
        other=len(codes) - codes.count(200) - len(refused),
        retry_after_seconds=[retry_after[0], retry_after[-1]] if retry_after else None,
        other_key_status=bystander,
    )
    assert codes.count(200) == 60 and len(refused) == 40
    assert all(r.json()["detail"] for r in refused)
    assert retry_after and 1 <= retry_after[0] and retry_after[-1] <= 61
    assert bystander == 200  # the limit is per key


def test_an_oversized_raw_is_refused_with_413_while_streaming(quiet_stack, bases, tmp_path: Path):
    caller = new_caller(quiet_stack, "big@example.com")
    big = tmp_path / "big.dng"
    big.write_bytes(bases["dng"].read_bytes() + b"\0" * (3 * 1024 * 1024))
    response = caller.upload(big, bases["jpeg"])
    assert response.status_code == 413
    assert "raw" in response.json()["detail"]
    assert _usage(quiet_stack, "big@example.com") == 0


def test_an_oversized_json_body_is_a_4xx_not_a_500(quiet_stack):
    caller = new_caller(quiet_stack, "json@example.com")
    body = b'{"description": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = requests.post(
        quiet_stack.url + "/v1/apikeys/",
        data=body,
        headers={"X-API-Key": caller.key, "Content-Type": "application/json"},
        timeout=60,
    )
    record("body_limits", oversized_json_status=response.status_code)
    assert response.status_code in (400, 413, 422), response.text[:300]
    assert response.headers["Content-Type"].startswith("application/json")


def _usage(stack, email: str) -> int:  # noqa: ANN001
    return int(
        shell_value(
            stack,
            "from lumethic.models import MonthlyUsage as M; "
            f"print(sum(M.objects.filter(account__name={email!r}).values_list('count', flat=True)))",
        )
    )


def _start_slow_upload(stack, key: str, raw: bytes, image: bytes) -> tuple[socket.socket, bytes]:  # noqa: ANN001
    boundary = uuid.uuid4().hex
    parts = b""
    for field, name, data in (("raw", "slow.dng", raw), ("image", "slow.jpg", image)):
        parts += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts += f"--{boundary}--\r\n".encode()
    head = (
        f"POST /v1/verifications/ HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
        f"X-API-Key: {key}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(parts)}\r\nConnection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", stack.port), timeout=30)
    sock.sendall(head)
    return sock, parts


def test_slow_uploads_do_not_block_others_and_an_aborted_one_leaves_nothing(quiet_stack, bases):
    caller = new_caller(quiet_stack, "slow@example.com")
    raw, image = bases["dng"].read_bytes(), bases["jpeg"].read_bytes()
    slow = [_start_slow_upload(quiet_stack, caller.key, raw, image) for _ in range(4)]
    latencies = []
    for step in range(8):  # four uploads trickle at ~4 KiB/s while others use the API
        for sock, body in slow:
            sock.sendall(body[step * 4096 : (step + 1) * 4096])
        started = time.monotonic()
        assert requests.get(quiet_stack.url + "/v1/public/health", timeout=10).status_code == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.5)
    for sock, _body in slow[:3]:  # three clients give up mid-body
        sock.close()
    sock, body = slow[3]  # one finishes and is served normally
    sock.sendall(body[8 * 4096 :])
    reply = sock.recv(4096).decode(errors="replace")
    sock.close()
    time.sleep(1)
    usage = _usage(quiet_stack, "slow@example.com")
    count = int(
        shell_value(
            quiet_stack,
            "from verifications.models import Verification as V; "
            "print(V.objects.filter(account__name='slow@example.com').count())",
        )
    )
    record(
        "slow_uploads",
        concurrent_slow_uploads=4,
        aborted=3,
        health_p_max_seconds=round(max(latencies), 3),
        completed_status=reply.split(" ", 2)[1],
        verifications_created=count,
        quota_used=usage,
    )
    assert reply.startswith("HTTP/1.1 201"), reply[:300]
    assert max(latencies) < 2.0
    assert count == 1 and usage == 1  # the aborted uploads created nothing and cost nothing
