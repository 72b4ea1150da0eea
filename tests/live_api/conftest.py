from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import LiveStack, make_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    s = make_stack(tmp_path_factory.mktemp("stack")).start(worker=True)
    yield s
    s.stop()
