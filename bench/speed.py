"""Speed bench: the engine end to end on a 24 MP pair vs a plain LibRaw render.

Each measurement runs in a fresh interpreter (nothing warm, nothing cached in
memory). A middle process spawns that child and reads getrusage(RUSAGE_CHILDREN),
whose ru_maxrss is then exactly the one child's peak RSS (the counter is a maximum
over all waited-for children, so the parent cannot separate runs by itself).

  python -m bench.speed [--runs 3] [--engine module:function]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import report
from bench.seeds import BODIES, CORPUS, SEEDS_VERSION, VAR

SPEED_DIR = VAR / "speed"
SCENE_PHOTO = CORPUS / "jpeg" / "mei_Leica T (Typ 701).jpg"


def ensure_pair() -> tuple[Path, Path]:
    """Make the 6000x4000 DNG + JPEG once; later runs reuse the cached files."""
    from tests.factories.dng import develop_jpeg, render_scene, write_bayer_dng

    body = BODIES["speed"]
    stem = f"synthcam24.v{SEEDS_VERSION}"
    dng, jpeg = SPEED_DIR / f"{stem}.dng", SPEED_DIR / f"{stem}.jpg"
    if not (dng.exists() and jpeg.exists()):
        source = str(SCENE_PHOTO) if SCENE_PHOTO.exists() else "astronaut"
        scene = render_scene(source, body.size)
        write_bayer_dng(
            dng,
            scene,
            seed=1,
            iso=400,
            make=body.make,
            model=body.model,
            serial=body.serial,
            sensor_seed=body.sensor_seed,
            **body.dng_kw(),  # in-camera layout: lossless JPEG, preview, masked borders
        )
        del scene
        develop_jpeg(dng, jpeg, quality=92)
    return dng, jpeg


def child(mode: str, raw: str, jpeg: str, engine: str) -> None:
    """Runs inside the measured interpreter: time only the work, not the startup."""
    if mode == "rawpy":
        import rawpy

        t0 = time.perf_counter()
        with rawpy.imread(raw) as r:
            r.postprocess()
    else:
        from bench.accuracy import load_engine

        analyse = load_engine(engine)
        t0 = time.perf_counter()
        analyse(raw, jpeg)
    print(json.dumps({"seconds": time.perf_counter() - t0}))


def measure(mode: str, raw: str, jpeg: str, engine: str) -> None:
    """Middle process: spawn one child, report its time and its own peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.speed", "--child", mode, raw, jpeg, "--engine", engine],
        capture_output=True,
        text=True,
        cwd=str(VAR.parents[1]),
    )
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out: dict[str, object] = {"wall": wall, "peak_mb": peak_mb, "rc": proc.returncode}
    try:
        out.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    except (IndexError, json.JSONDecodeError):
        out["error"] = (proc.stderr or proc.stdout)[-400:]
    print(json.dumps(out))


def run_once(mode: str, raw: Path, jpeg: Path, engine: str) -> dict[str, object]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.speed",
            "--measure",
            mode,
            str(raw),
            str(jpeg),
            "--engine",
            engine,
        ],
        capture_output=True,
        text=True,
        cwd=str(VAR.parents[1]),
    )
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": proc.stderr[-400:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.speed")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engine", default="verifications.forensics:analyse")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "RAW", "JPEG"))
    ap.add_argument("--measure", nargs=3, metavar=("MODE", "RAW", "JPEG"))
    a = ap.parse_args(argv)
    if a.child:
        child(*a.child, a.engine)
        return 0
    if a.measure:
        measure(*a.measure, a.engine)
        return 0

    t0 = time.perf_counter()
    raw, jpeg = ensure_pair()
    print(f"pair ready in {time.perf_counter() - t0:.1f} s: {raw} ({raw.stat().st_size >> 20} MiB)")
    runs: dict[str, list[dict[str, object]]] = {"rawpy": [], "analyse": []}
    for i in range(max(1, a.runs)):
        for mode in runs:  # interleaved, so background load hits both alike
            res = run_once(mode, raw, jpeg, a.engine)
            runs[mode].append(res)
            print(f"run {i + 1} {mode:<8} {json.dumps(res)}", flush=True)
    lines = summary(runs, a.engine, a.runs)
    print("\n".join(lines))
    print(f"wrote {report.write_section('speed', lines)}")
    return 0


def _median(rs: list[dict[str, object]], key: str) -> float | None:
    vals = [float(r[key]) for r in rs if key in r and "error" not in r]  # type: ignore[arg-type]
    return statistics.median(vals) if vals else None


def summary(runs: dict[str, list[dict[str, object]]], engine: str, n: int) -> list[str]:
    w, h = BODIES["speed"].size
    lines = [
        "## Speed",
        "",
        f"- date: {report.stamp()}",
        f"- machine: {report.machine()}",
        f"- command: `python -m bench.speed --runs {n}`",
        f"- engine: `{engine}` at {report.revision()}",
        f"- input: synthetic {w}x{h} ({w * h / 1e6:.0f} MP) 14-bit lossless-JPEG DNG with "
        "preview and optical-black borders + q92 JPEG, "
        f"each run in a fresh subprocess; medians of {n} runs",
        "- load average (1/5/15 min) at the end: "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (the 2 cores are shared: other work inflates the times)",
        "",
        "| task | median s (work) | median s (wall incl. startup) | peak RSS MB | errors |",
        "|---|---|---|---|---|",
    ]
    labels = {"rawpy": "rawpy.imread().postprocess()", "analyse": "analyse() end to end"}
    for mode, rs in runs.items():
        sec, wall, rss = _median(rs, "seconds"), _median(rs, "wall"), _median(rs, "peak_mb")
        errs = sum("error" in r for r in rs)
        lines.append(f"| {labels[mode]} | {_f(sec)} | {_f(wall)} | {_f(rss, 0)} | {errs} |")
    a, b = _median(runs["analyse"], "seconds"), _median(runs["rawpy"], "seconds")
    ratio = f"{a / b:.2f}x" if a and b else "-"
    lines += ["", f"analyse / LibRaw full render: {ratio} (target: ≤ 4 s median, ≤ 1.5 GB peak)"]
    errors = [str(r["error"])[-200:] for r in runs["analyse"] if "error" in r]
    if errors:
        lines += ["", f"engine error: `{errors[0]}`"]
    return lines + [""]


def _f(x: float | None, nd: int = 2) -> str:
    return "-" if x is None else f"{x:.{nd}f}"


if __name__ == "__main__":
    sys.exit(main())
