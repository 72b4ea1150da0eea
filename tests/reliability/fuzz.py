"""Deterministic hostile variants of the base files, drawn by Hypothesis (derandomized)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reliability import mutations as m
from tests.reliability.harness import Run, signal_name

MUTATIONS = 320
TIFF_KINDS = ("truncate", "header_bit", "ifd_bit", "huge_dims", "ifd_loop", "big_count")
JPEG_KINDS = ("truncate", "header_bit", "segment_bit", "huge_dims", "segment_length")


def _tiff_mutation(data: bytes, kind: str, a: int, b: int, frac: float) -> bytes:
    if kind == "truncate":
        return m.truncate(data, frac)
    if kind == "header_bit":
        return m.flip_header_bit(data, a)
    if kind == "ifd_bit":
        return m.flip_ifd_bit(data, a, b)
    if kind == "huge_dims":
        return m.huge_dimensions(data, (0x7FFFFFFF, 0xFFFF, 65536 * 3, 0)[a % 4])
    if kind == "ifd_loop":
        return m.ifd_loop(data, a)
    return m.oversized_count(data, a, (0xFFFFFFFF, 0x40000000, 1 << 20)[b % 3])


def _jpeg_mutation(data: bytes, kind: str, a: int, b: int, frac: float) -> bytes:
    if kind == "truncate":
        return m.truncate(data, frac)
    if kind == "header_bit":
        return m.flip_header_bit(data, a, span=64)
    if kind == "segment_bit":
        return m.jpeg_flip_segment_bit(data, a, b)
    if kind == "huge_dims":
        return m.jpeg_huge_dimensions(data, 65535, (65535, 1, 30000)[b % 3])
    return m.jpeg_segment_length(data, a, (0xFFFF, 0, 1, 3)[b % 4])


def generate(bases: dict[str, Path], folder: Path, count: int) -> list[tuple[str, Path, Path]]:
    """`count` distinct mutated pairs, drawn by Hypothesis with a fixed seed (derandomize)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {name: path.read_bytes() for name, path in bases.items()}
    pairs: dict[str, tuple[str, Path, Path]] = {}
    target = st.sampled_from(["dng", "camera_dng", "nef", "jpeg"])
    ints = st.integers(min_value=0, max_value=10_000)
    fraction = st.floats(min_value=0.0, max_value=0.999)

    @settings(
        max_examples=count * 3,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(target=target, kind_pick=ints, a=ints, b=ints, frac=fraction)
    def draw(target: str, kind_pick: int, a: int, b: int, frac: float) -> None:
        if len(pairs) >= count:
            return
        if target == "jpeg":
            kind = JPEG_KINDS[kind_pick % len(JPEG_KINDS)]
            mutated = _jpeg_mutation(data["jpeg"], kind, a, b, frac)
        else:
            kind = TIFF_KINDS[kind_pick % len(TIFF_KINDS)]
            mutated = _tiff_mutation(data[target], kind, a, b, frac)
        if mutated == data[target]:
            return
        name = f"{target}-{kind}-{hashlib.sha256(mutated).hexdigest()[:10]}"
        if name in pairs:
            return
        suffix = ".jpg" if target == "jpeg" else bases[target].suffix
        path = folder / f"{name}{suffix}"
        path.write_bytes(mutated)
        if target == "jpeg":
            pairs[name] = (name, bases["dng"], path)
        else:
            pairs[name] = (name, path, bases["jpeg"])

    draw()
    return list(pairs.values())


def classify(run: Run) -> str:
    if run.exit_code in (0, 1) and run.stdout_bytes > 0:
        return "report"
    lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
    if run.exit_code == 2 and len(lines) == 1 and lines[0].startswith("unreadable "):
        return "unreadable"
    if run.signal is not None:
        return f"killed:{signal_name(run.signal)}"
    return "broken"
