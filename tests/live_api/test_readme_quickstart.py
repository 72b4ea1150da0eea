"""The README's curl quick start, run verbatim against a live server and a real worker."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.factories.dng import make_pair
from tests.live import REPO

pytestmark = pytest.mark.live


def quickstart_script() -> str:
    readme = (REPO / "README.md").read_text()
    block = re.search(
        r"<!-- quickstart:begin -->\s*```sh\n(.*?)```\s*<!-- quickstart:end -->", readme, re.S
    )
    assert block, "README lost its quick start block"
    return block.group(1)


def test_the_readme_first_lines_are_the_two_setup_commands():
    lines = (REPO / "README.md").read_text().splitlines()
    fence = lines.index("```sh")
    commands = [line.split("#")[0].strip() for line in lines[fence + 1 : fence + 3]]
    assert commands == ["make run", "make test"]


def test_the_readme_curl_quick_start_works_verbatim(stack, tmp_path):
    assert shutil.which("curl"), "curl is needed by the README"
    account = stack.create_account("quickstart@example.com", plan="basic")
    raw, jpeg = make_pair(tmp_path / "src", size=(768, 512), source="astronaut", seed=5)
    shutil.copy(raw, tmp_path / "photo.dng")
    shutil.copy(jpeg, tmp_path / "photo.jpg")
    env = {"PATH": "/usr/bin:/bin", "LUMETHIC_KEY": account["api_key"], "LUMETHIC_URL": stack.url}
    out = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", quickstart_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0].split()
    assert first[0] == "completed" and first[1] == "True"
    assert "raw_integrity True" in out.stdout
