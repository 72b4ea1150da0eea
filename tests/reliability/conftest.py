"""Fixtures for the reliability suite: valid base files and live stacks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import LiveStack, make_stack
from tests.reliability import mutations

# Faults are exercised on a fast clock: a dead worker is noticed in seconds.
# The contract's rate limit is tested on its own stack (quiet_stack); here it would
# only throttle the fuzzers.
FAST_CLOCK = {
    "HEARTBEAT_SECONDS": "1",
    "STALE_AFTER_SECONDS": "8",
    "WORKERS": "2",
    "API_RATE_LIMIT": "100000/min",
}


@pytest.fixture(scope="session", autouse=True)
def _hypothesis_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hypothesis and schemathesis caches go to a temporary folder, not the checkout."""
    from hypothesis.configuration import set_hypothesis_home_dir

    home = tmp_path_factory.mktemp("hypothesis")
    set_hypothesis_home_dir(str(home))
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(home)


@pytest.fixture(scope="session")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Valid files to mutate: plain DNG, camera-style DNG (SubIFD, tiles), NEF-like TIFF, JPEG."""
    from tests.factories.dng import make_pair

    folder = tmp_path_factory.mktemp("bases")
    dng, jpeg = make_pair(folder, size=(256, 176), source="astronaut", seed=1)
    (folder / "camera").mkdir()
    camera, _ = make_pair(
        folder / "camera",
        size=(256, 176),
        source="astronaut",
        seed=2,
        preview=True,
        lossless=True,
    )
    nikon, _ = make_pair(folder, size=(256, 176), source="astronaut", seed=3, make="NIKON")
    nef = folder / "nikon_like.nef"
    nef.write_bytes(mutations.strip_dng_version(nikon.read_bytes()))
    return {"dng": dng, "camera_dng": camera, "nef": nef, "jpeg": jpeg}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    s = make_stack(tmp_path_factory.mktemp("stack"), **FAST_CLOCK).start(worker=True)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def quiet_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """No worker, the contract's 60/min key limit and small upload limits (abuse tests)."""
    s = make_stack(
        tmp_path_factory.mktemp("quiet"),
        API_RATE_LIMIT="60/min",
        MAX_RAW_BYTES=str(2 * 1024 * 1024),
        MAX_JPEG_BYTES=str(1024 * 1024),
        STRIPE_WEBHOOK_SECRET="whsec_reliability_secret_do_not_log",
    ).start(worker=False)
    yield s
    s.stop()
