"""Case seeds: real Bayer RAWs from the corpus and synthetic SynthCam DNGs.

A seed is one capture (a RAW file) every case is derived from. Seeds, not cases,
are split into a tuning and a held-out part, so no held-out scene ever informs a
threshold. The split is fixed by a hash of the seed's name, never by run order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from bench.imaging import develop_linear
from tests.factories.dng import develop_jpeg, render_scene, write_bayer_dng

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
VAR = REPO / "var" / "bench"
HELDOUT_SHARE = 0.3
SEEDS_VERSION = 4  # bump when seed rendering changes: cached seed files are then rebuilt
SCENE_DETAIL = 0.05  # fine 1/f texture: upscaled small photos are too smooth otherwise

# Real Bayer-CFA camera RAWs (MANIFEST.md section 6a); LinearRaw DNGs are not sensor data.
REAL_RAWS = (
    "tdng_colorchart.dng",
    "iio_Blackmagic.dng",
    "rawpy_RAW_KODAK_DC50_é.KDC",
    "kif_RAW_KODAK_C330_FORMAT_NONE_YRGB.raw",
)
SKIMAGE_SCENES = (
    "astronaut",
    "chelsea",
    "coffee",
    "rocket",
    "immunohistochemistry",
    "hubble_deep_field",
    "retina",
    "camera",
    "brick",  # periodic but real: recapture detectors must not fire on it
    "grass",
)
# Large "free to use" camera JPEGs: downscaled >= 2.5x they become clean scenes.
PHOTO_GLOB = "mei_*.jpg"
# The LX7 sample is itself a photo of a computer screen: as a scene its ground truth
# (authentic capture vs recapture) is ambiguous, so it is not a seed.
EXCLUDED_PHOTOS = ("mei_Panasonic Lumix DMC-LX7",)


@dataclass(frozen=True)
class Body:
    """A synthetic camera body: one sensor size, one PRNU fingerprint, one serial and
    one file layout (a real model always writes the same container)."""

    model: str
    size: tuple[int, int]
    sensor_seed: int
    serial: str
    make: str = "Lumethic"
    camera_like: bool = False  # lossless-JPEG tiles, preview, optical-black borders

    def dng_kw(self) -> dict[str, object]:
        if not self.camera_like:
            return {}
        return {"lossless": True, "preview": True, "optical_black": OPTICAL_BLACK}


OPTICAL_BLACK = 32
# Per profile, two bodies: a plain one (uncompressed CFA only, like Magic Lantern DNGs)
# and a camera-like one; seeds are spread over both so the engine cannot key on layout.
BODIES = {
    "quick": Body("SynthCam 1", (768, 512), 7, "000123"),
    "quick_x": Body("SynthCam 1X", (768, 512), 8, "100123", camera_like=True),
    "full": Body("SynthCam 2", (1152, 768), 11, "000456"),
    "full_x": Body("SynthCam 2X", (1152, 768), 12, "100456", camera_like=True),
    "speed": Body("SynthCam 24", (6000, 4000), 24, "024000", camera_like=True),
}


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def split_of(name: str) -> str:
    h = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") / 2**32
    return "heldout" if h < HELDOUT_SHARE else "tuning"


def seed_int(*parts: object) -> int:
    """A stable 63-bit integer from any labels (Python's hash() is salted per process)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass
class Seed:
    name: str
    origin: str  # "real" | "synthetic"
    raw_path: Path
    split: str
    body: Body | None = None  # synthetic seeds only
    source: str | None = None  # scene source of synthetic seeds
    iso: int = 200
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def burstable(self) -> bool:
        """Only synthetic seeds can be re-exposed for a second burst frame."""
        return self.origin == "synthetic"

    @cached_property
    def honest_jpeg(self) -> Path:
        out = VAR / "seeds" / f"{slug(self.name)}.v{SEEDS_VERSION}.jpg"
        if not out.exists():
            develop_jpeg(self.raw_path, out, quality=92)
        return out

    def linear(self) -> np.ndarray:
        """Camera-WB linear render, cached per process (cases of one seed share it)."""
        if "lin" not in self._cache:
            self._cache["lin"] = develop_linear(self.raw_path)
        return self._cache["lin"]

    def default_display(self) -> np.ndarray:
        """LibRaw's default rendering (what a camera-JPEG-like export holds), float [0,1]."""
        if "disp" not in self._cache:
            import rawpy

            with rawpy.imread(str(self.raw_path)) as r:
                self._cache["disp"] = r.postprocess(use_camera_wb=True).astype(np.float32) / 255
        return self._cache["disp"]

    def scene(self) -> np.ndarray:
        if self.source is None or self.body is None:
            raise ValueError(f"{self.name} is a real capture: it has no synthetic scene")
        return render_scene(self.source, self.body.size, seed=0, detail=SCENE_DETAIL)

    def write_frame(self, path: Path, noise_seed: int, **kw: object) -> Path:
        """Write this scene as another exposure on the same body (burst frames, tests)."""
        assert self.body is not None
        b = self.body
        return write_bayer_dng(
            path,
            self.scene(),
            seed=noise_seed,
            iso=self.iso,
            make=b.make,
            model=b.model,
            serial=b.serial,
            sensor_seed=b.sensor_seed,
            **{**b.dng_kw(), **kw},  # type: ignore[arg-type]
        )


def _synthetic(source_name: str, source: str, profile: str) -> Seed:
    rng = np.random.default_rng(seed_int("body", source_name))
    body = BODIES[profile + ("_x" if rng.random() < 0.5 else "")]
    name = f"{source_name}@{body.model}"
    raw = VAR / "seeds" / f"{slug(name)}.v{SEEDS_VERSION}.dng"
    iso = int(rng.choice([100, 200, 400, 800, 1600]))
    seed = Seed(name, "synthetic", raw, split_of(source_name), body=body, source=source, iso=iso)
    if not raw.exists():
        raw.parent.mkdir(parents=True, exist_ok=True)
        seed.write_frame(raw, noise_seed=seed_int("noise", name) % 2**31)
    return seed


def discover_seeds(*, quick: bool, corpus: Path = CORPUS) -> list[Seed]:
    """Real corpus RAWs (when the corpus exists) + synthetic scenes on the run's bodies."""
    profile = "quick" if quick else "full"
    seeds: list[Seed] = []
    raw_dir = corpus / "raw"
    if raw_dir.is_dir():
        reals = (REAL_RAWS[0], REAL_RAWS[2]) if quick else REAL_RAWS  # quick: the small ones
        for fname in reals:
            path = raw_dir / fname
            if path.exists():
                seeds.append(Seed(f"real:{fname}", "real", path, split_of(fname)))
    scenes = SKIMAGE_SCENES[:4] if quick else SKIMAGE_SCENES
    for src in scenes:
        seeds.append(_synthetic(f"syn:{src}", src, profile))
    photos = sorted((corpus / "jpeg").glob(PHOTO_GLOB)) if (corpus / "jpeg").is_dir() else []
    photos = [p for p in photos if p.stem not in EXCLUDED_PHOTOS]
    for photo in photos[: 2 if quick else len(photos)]:
        seeds.append(_synthetic(f"photo:{photo.stem}", str(photo), profile))
    return _balance_splits(seeds)


def _balance_splits(seeds: list[Seed]) -> list[Seed]:
    """Guarantee both splits are non-empty (tiny quick runs), moving the fewest seeds."""
    for wanted in ("tuning", "heldout"):
        if seeds and not any(s.split == wanted for s in seeds):
            victim = min(seeds, key=lambda s: seed_int("balance", s.name))
            victim.split = wanted
    return seeds
