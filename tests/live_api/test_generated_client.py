"""A client generated from /openapi.json by openapi-generator (python) runs the
quick start unchanged against a live server: the spec is the contract."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.factories.dng import make_pair

pytestmark = pytest.mark.live


def generate_client(spec_url: str, out_dir) -> None:  # noqa: ANN001
    spec = out_dir / "openapi.json"
    with urllib.request.urlopen(spec_url, timeout=30) as r:
        spec.write_bytes(r.read())
    assert json.loads(spec.read_text())["openapi"].startswith("3.1")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "openapi-generator-cli"),
            "generate",
            "-i",
            str(spec),
            "-g",
            "python",
            "-o",
            str(out_dir / "client"),
            "--package-name",
            "lumethic_client",
            "--skip-validate-spec",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_a_generated_python_client_runs_the_quick_start(stack, tmp_path):
    generate_client(stack.url + "/openapi.json", tmp_path)
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        client_mod = importlib.import_module("lumethic_client")
        account = stack.create_account("generated@example.com", plan="basic")
        config = client_mod.Configuration(
            host=stack.url, api_key={"APIKeyHeader": account["api_key"]}
        )
        api = client_mod.VerificationsApi(client_mod.ApiClient(config))
        raw, jpeg = make_pair(tmp_path / "pair", size=(768, 512), source="coffee", seed=9)
        created = api.create_verification(raw=str(raw), image=str(jpeg))
        deadline = time.monotonic() + 120
        while True:
            verification = api.get_verification(str(created.id))
            if verification.status in ("completed", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert verification.status == "completed", verification.failure_reason
        assert isinstance(
            verification.result, bool
        )  # the verdict itself is the engine's tests' job
        assert {r.verificator_id for r in verification.results} >= {
            "raw_integrity",
            "exif_consistency",
        }
        page = api.list_verifications(size=5)
        assert page.total == 1 and page.items[0].id == created.id
        health = client_mod.PublicAccessApi(client_mod.ApiClient(config)).health_check()
        assert health.status == "ok"
    finally:
        sys.path.remove(str(tmp_path / "client"))
        for name in [m for m in sys.modules if m.startswith("lumethic_client")]:
            del sys.modules[name]
