"""Fire the same upload from many threads at once and collect the answers."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from rest_framework.test import APIClient


def race_uploads(
    key: str, body: Callable[[], dict], parallel: int, *, timeout: float = 300
) -> list[tuple[int, bytes]]:
    """(status, first bytes of the body) of `parallel` simultaneous create_verification calls."""
    barrier = threading.Barrier(parallel)
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def send() -> None:
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=key)
        data = body()
        try:
            barrier.wait(timeout=60)
            response = client.post("/v1/verifications/", data, format="multipart")
        finally:
            connection.close()  # each thread has its own connection; leave none open
        with lock:
            answers.append((response.status_code, response.content[:200]))

    threads = [threading.Thread(target=send) for _ in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return answers
