"""The labelled case set: which kinds exist, and how one case's files are built.

A case is (RAW, JPEG, expected verdict, optional true mask). Cases are cached under
var/bench/cases/<id>__<seed>/ and rebuilt only when missing or when CASES_VERSION changes,
so repeated bench runs measure the engine, not the generator.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from bench import edits, manipulations, recapture
from bench.imaging import load_display, save_jpeg
from bench.seeds import BODIES, VAR, Seed, seed_int, slug
from tests.factories.dng import write_bayer_dng

CASES_VERSION = 12
CASES_DIR = VAR / "cases"


@dataclass(frozen=True)
class Kind:
    name: str
    category: str  # authentic | local | other_raw | fake_raw | recapture
    expect_authentic: bool
    synthetic_only: bool = False


@dataclass
class Case:
    case_id: str
    kind: str
    category: str
    expect_authentic: bool
    seed: str
    split: str
    raw_path: str
    jpeg_path: str
    mask_path: str | None = None
    area_share: float = 0.0
    dust_share: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, Kind] = {"original": Kind("original", "authentic", True)}
KINDS.update({k: Kind(k, "authentic", True) for k in edits.AUTHENTIC_KINDS})
KINDS.update({k: Kind(k, "local", False) for k in manipulations.LOCAL_KINDS})
KINDS.update(
    {
        "other_scene": Kind("other_scene", "other_raw", False),
        "burst_frame": Kind("burst_frame", "other_raw", False, synthetic_only=True),
        "fake_raw_clean": Kind("fake_raw_clean", "fake_raw", False),
        "fake_raw_noisy": Kind("fake_raw_noisy", "fake_raw", False),
        "recapture": Kind("recapture", "recapture", False),
        "recapture_print": Kind("recapture_print", "recapture", False),
    }
)


def plan(seeds: list[Seed], kinds: list[str], n: int) -> list[tuple[str, int, Seed]]:
    """n cases per kind, spread round-robin over the eligible seeds."""
    out = []
    for kind in kinds:
        eligible = [s for s in seeds if s.burstable or not KINDS[kind].synthetic_only]
        if not eligible:
            continue
        offset = seed_int("offset", kind) % len(eligible)
        out += [(kind, i, eligible[(i + offset) % len(eligible)]) for i in range(n)]
    return out


def _identity(seed: Seed) -> dict[str, Any]:
    """The capture facts a careful forger copies from the genuine RAW into a fake one
    (camera, serial, time, exposure), as write_bayer_dng keywords; unknown ones are
    left to the factory's defaults."""
    try:
        import exifread

        with open(seed.raw_path, "rb") as f:
            tags = exifread.process_file(f, details=False)
    except Exception:  # non-TIFF RAWs: the forger has nothing to copy
        tags = {}

    def text(key: str) -> str | None:
        value = str(tags[key]).strip() if key in tags else ""
        return value or None

    def number(key: str) -> float | None:
        try:
            v = tags[key].values[0]
            v = float(v.numerator) / float(v.denominator) if hasattr(v, "numerator") else float(v)
        except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
            return None
        return v if v > 0 else None

    out: dict[str, Any] = {
        "make": text("Image Make") or "Unknown",
        "model": text("Image Model") or "Unknown",
        "serial": text("EXIF BodySerialNumber") or "",
        "datetime": text("EXIF DateTimeOriginal"),
        "lens": text("EXIF LensModel"),
        "exposure_time": text("EXIF ExposureTime"),
        "fnumber": number("EXIF FNumber"),
        "focal_length": number("EXIF FocalLength"),
        "iso": number("EXIF ISOSpeedRatings"),
    }
    if out["exposure_time"] == "0":
        out["exposure_time"] = None
    if out["iso"] is not None:
        out["iso"] = int(out["iso"])
    return {k: v for k, v in out.items() if v is not None}


def build_case(kind: str, index: int, seed: Seed, seeds: list[Seed]) -> Case:
    """Build (or reuse) one case's files and return its description."""
    case_id = f"{kind}-{index:03d}"
    cdir = CASES_DIR / f"{case_id}__{slug(seed.name)}"  # quick and full runs coexist
    meta = cdir / "case.json"
    if meta.exists():
        data = json.loads(meta.read_text())
        if data.get("version") == CASES_VERSION and data.get("seed") == seed.name:
            data.pop("version")
            return Case(**data)
    if cdir.exists():
        shutil.rmtree(cdir)
    cdir.mkdir(parents=True)
    rng = np.random.default_rng(seed_int(CASES_VERSION, kind, index, seed.name))
    spec = KINDS[kind]
    case = Case(
        case_id,
        kind,
        spec.category,
        spec.expect_authentic,
        seed.name,
        seed.split,
        str(seed.raw_path),
        str(cdir / "image.jpg"),
    )
    BUILDERS.get(spec.category, _build_pair_forgery)(case, seed, seeds, rng, cdir)
    meta.write_text(json.dumps({**asdict(case), "version": CASES_VERSION}, indent=1))
    return case


SOFTWARE = (
    "Adobe Photoshop Lightroom Classic 13.0 (Windows)",
    "Adobe Photoshop 25.0 (Macintosh)",
    "darktable 4.6.1",
    "Capture One 23 Macintosh",
    "RawTherapee 5.10",
    "GIMP 2.10.36",
)


def _software(case: Case) -> str:
    """Editors are drawn from one pool for every kind: Software must not give the label away."""
    rng = np.random.default_rng(seed_int("software", case.case_id, case.seed))
    return str(rng.choice(SOFTWARE))


def _develop_and_save(raw: Path, case: Case, rng: np.random.Generator) -> None:
    """A plain LibRaw rendition of `raw`, exported like every other case's JPEG."""
    import rawpy

    with rawpy.imread(str(raw)) as r:
        img = r.postprocess(use_camera_wb=True).astype(np.float32) / 255
    save_jpeg(
        img,
        Path(case.jpeg_path),
        raw_path=raw,
        quality=int(rng.integers(85, 97)),
        software=_software(case),
    )


def _donor(seed: Seed, seeds: list[Seed]) -> manipulations.Donor:
    # prefer synthetic donors: decoding a 9 MP real RAW per splice would dominate build time
    others = [s for s in seeds if s.name != seed.name and s.origin == "synthetic"]
    others = others or [s for s in seeds if s.name != seed.name] or [seed]

    def pick(rng: np.random.Generator) -> np.ndarray:
        return others[int(rng.integers(len(others)))].default_display()

    return pick


def _build_authentic(
    case: Case, seed: Seed, seeds: list[Seed], rng: np.random.Generator, cdir: Path
) -> None:
    r = edits.start(seed, rng)
    if case.kind != "original":
        r = edits.AUTHENTIC_KINDS[case.kind](r, seed, rng)
    save_jpeg(
        r.img,
        Path(case.jpeg_path),
        raw_path=seed.raw_path,
        quality=r.quality,
        orientation=r.orientation,
        software=_software(case),
    )
    case.params, case.dust_share = {**r.params, "quality": r.quality}, r.dust_share


def _build_local(
    case: Case, seed: Seed, seeds: list[Seed], rng: np.random.Generator, cdir: Path
) -> None:
    r = edits.start(seed, rng)
    if rng.random() < 0.5:
        r = edits.mild_global(r, seed, rng)
    r, mask = manipulations.LOCAL_KINDS[case.kind](r, _donor(seed, seeds), rng)
    save_jpeg(
        r.img,
        Path(case.jpeg_path),
        raw_path=seed.raw_path,
        quality=r.quality,
        software=_software(case),
    )
    Image.fromarray(mask.astype(np.uint8) * 255).save(cdir / "mask.png")
    case.mask_path, case.area_share = str(cdir / "mask.png"), float(mask.mean())
    case.params = {**r.params, "quality": r.quality}


def _build_pair_forgery(
    case: Case, seed: Seed, seeds: list[Seed], rng: np.random.Generator, cdir: Path
) -> None:
    jpeg = Path(case.jpeg_path)
    if case.kind == "other_scene":
        other = _donor(seed, seeds)(rng)
        save_jpeg(
            other,
            jpeg,
            raw_path=seed.raw_path,
            quality=int(rng.integers(85, 97)),
            software=_software(case),
        )
    elif case.kind == "burst_frame":
        frame = seed.write_frame(cdir / "frame_b.dng", noise_seed=int(rng.integers(2**31)))
        _develop_and_save(frame, case, rng)
        case.params = {"frame_b": str(frame)}
    elif case.kind.startswith("fake_raw"):
        r = edits.start(seed, rng)
        if rng.random() < 0.5:
            r = edits.mild_global(r, seed, rng)
        save_jpeg(
            r.img,
            jpeg,
            raw_path=seed.raw_path,
            quality=int(rng.integers(75, 97)),
            software=_software(case),
        )
        noisy = case.kind == "fake_raw_noisy"
        fake = manipulations.fake_raw(
            load_display(jpeg),
            cdir / "raw.dng",
            seed=seed,
            noise=noisy,
            rng=rng,
            identity=_identity(seed),
        )
        case.raw_path = str(fake)
        case.params = {**r.params, "noise": noisy}
    elif case.kind in ("recapture", "recapture_print"):
        body = seed.body or BODIES["full"]
        shoot = recapture.screen_scene if case.kind == "recapture" else recapture.print_scene
        scene, case.params = shoot(seed.default_display(), body.size, rng)
        raw = write_bayer_dng(
            cdir / "raw.dng",
            scene,
            seed=int(rng.integers(2**31)),
            iso=int(rng.choice([200, 400, 800])),
            make=body.make,
            model=body.model,
            serial=body.serial,
            sensor_seed=body.sensor_seed,
            **body.dng_kw(),  # the recapturing body writes its usual container
        )
        _develop_and_save(raw, case, rng)
        case.raw_path = str(raw)
    else:
        raise ValueError(f"no builder for {case.kind}")


BUILDERS: dict[str, Callable[[Case, Seed, list[Seed], np.random.Generator, Path], None]] = {
    "authentic": _build_authentic,
    "local": _build_local,
}
