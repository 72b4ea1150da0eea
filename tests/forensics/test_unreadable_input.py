from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from verifications.forensics import UnreadableInput, analyse
from verifications.forensics.__main__ import main

REPO = Path(__file__).resolve().parents[2]
BAD_INPUT = REPO.parent / "shared" / "corpus" / "bad_input"
BAD_FILES = sorted(p for p in BAD_INPUT.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def good_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jpeg") / "photo.jpg"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (256, 384, 3), dtype=np.uint8)).save(path, quality=90)
    return path


def test_the_bad_input_folder_is_there() -> None:
    assert len(BAD_FILES) >= 30


@pytest.mark.parametrize("bad", BAD_FILES, ids=[p.name for p in BAD_FILES])
def test_every_bad_raw_exits_2_with_a_one_line_reason(
    bad: Path, good_jpeg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([str(bad), str(good_jpeg)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unreadable raw: ")
    assert captured.out == ""


def test_unreadable_input_names_the_field_and_a_sentence(good_jpeg: Path) -> None:
    with pytest.raises(UnreadableInput) as info:
        analyse(BAD_INPUT / "et_DNG.dng", good_jpeg)
    assert info.value.field == "raw"
    assert info.value.reason.endswith(".")
    assert "stripped" in info.value.reason or "blank" in info.value.reason


def test_truncated_jpeg_is_unreadable_image(tmp_path: Path, good_jpeg: Path) -> None:
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good_jpeg.read_bytes()[:600])
    with pytest.raises(UnreadableInput) as info:
        analyse(BAD_INPUT / "et_DNG.dng", cut)
    assert info.value.field == "image"


def test_a_pixel_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    # 12000 x 12000 = 144 MP, stored as a tiny palette PNG.
    Image.new("1", (12000, 12000)).save(bomb)
    with pytest.raises(UnreadableInput) as info:
        analyse(BAD_INPUT / "et_DNG.dng", bomb)
    assert info.value.field == "image" and "120 megapixels" in info.value.reason


def test_cli_prints_no_traceback_for_a_text_file(tmp_path: Path, good_jpeg: Path) -> None:
    fake = tmp_path / "notes.dng"
    fake.write_text("version https://git-lfs.github.com/spec/v1\n" * 40)
    proc = subprocess.run(
        [sys.executable, "-m", "verifications.forensics", str(fake), str(good_jpeg)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
