"""Synthetic camera bodies for fingerprint tests: DNGs from the test-data factory."""

from __future__ import annotations

from pathlib import Path

from provenance.rawio import read_green
from tests.factories.dng import render_scene, write_bayer_dng
from verifications.forensics import prnu

# Smooth, moderately textured scenes: the residual carries the sensor, not the scene.
SCENES = ("astronaut", "coffee", "chelsea", "rocket", "camera", "moon", "page")


def shoot(folder: Path, *, sensor_seed: int, shot: int, size=(512, 512), **kw) -> Path:  # noqa: ANN001
    """One RAW of a body (`sensor_seed` = its PRNU) of a scene picked by `shot`."""
    path = folder / f"body{sensor_seed}_shot{shot}.dng"
    scene = render_scene(SCENES[shot % len(SCENES)], size, seed=shot + 1)
    write_bayer_dng(path, scene, seed=sensor_seed * 1000 + shot, sensor_seed=sensor_seed, **kw)
    return path


def green(path: Path) -> prnu.GreenData:
    data = read_green(path)
    assert data is not None
    return data


def fingerprint(folder: Path, *, sensor_seed: int, raws: int, **kw) -> prnu.Fingerprint:  # noqa: ANN003
    return prnu.estimate(
        [green(shoot(folder, sensor_seed=sensor_seed, shot=i, **kw)) for i in range(raws)]
    )
