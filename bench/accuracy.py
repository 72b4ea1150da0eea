"""Run the engine on every case and score it: tables per kind and split, calibration.

The engine is a black box: `analyse(raw_path, image_path).to_dict()` with keys
result, result_confidence, regions [{box: [x0, y0, x1, y1], area_share, kind}].
"""

from __future__ import annotations

import importlib
import importlib.util
import signal
import statistics
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import numpy as np
from PIL import Image

from bench.cases import KINDS, build_case
from bench.seeds import Seed

DEFAULT_ENGINE = "verifications.forensics:analyse"
CATEGORY_ORDER = ("authentic", "local", "other_raw", "fake_raw", "recapture")
_ENGINE: Callable[[str, str], Any] | None = None
_SEEDS: list[Seed] = []


def load_engine(spec: str) -> Callable[[str, str], Any]:
    """`module:function`; a file path before the colon is imported from that file."""
    mod_name, _, fn = spec.partition(":")
    if mod_name.endswith(".py"):
        loader = importlib.util.spec_from_file_location("bench_engine", mod_name)
        assert loader and loader.loader
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    else:
        module = importlib.import_module(mod_name)
    return getattr(module, fn or "analyse")


def init_worker(engine: str, seeds: list[Seed]) -> None:
    global _ENGINE, _SEEDS
    _ENGINE, _SEEDS = load_engine(engine), seeds


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def run_one(job: tuple[str, int, str, int]) -> dict[str, Any]:
    """Build one case (cached) and analyse it; never raises, errors become rows."""
    kind, index, seed_name, timeout = job
    seed = next(s for s in _SEEDS if s.name == seed_name)
    case = build_case(kind, index, seed, _SEEDS)
    row: dict[str, Any] = {**asdict(case), "result": "error", "confidence": 0.0, "regions": []}
    assert _ENGINE is not None
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    t0 = time.perf_counter()
    try:
        report = _ENGINE(case.raw_path, case.jpeg_path)
        d = report.to_dict() if hasattr(report, "to_dict") else dict(report)
        row.update(
            result=verdict(d.get("result")),
            confidence=float(d.get("result_confidence") or 0),
            regions=list(d.get("regions") or []),
            failed_by=[
                str(a.get("verificator"))
                for a in d.get("analyses") or []
                if isinstance(a, dict) and verdict(a.get("result")) != "authentic"
            ],
        )
    except _Timeout:
        row["error"] = f"timeout after {timeout}s"
    except Exception as exc:  # the engine under test may fail in any way: record it
        row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        row["trace"] = traceback.format_exc(limit=3)[-800:]
    finally:
        signal.alarm(0)
    row["seconds"] = time.perf_counter() - t0
    row["passed"] = row["result"].lower() == "authentic"
    row["correct"] = row["result"] != "error" and row["passed"] == case.expect_authentic
    if case.mask_path and row["result"] != "error" and not row["passed"]:
        row["iou"] = region_iou(case.mask_path, row["regions"])
        row["pixel_iou"] = region_iou(case.mask_path, row["regions"], boxed=False)
    return row


def verdict(value: Any) -> str:
    """The engine's `result` as "authentic" / "not_authentic" (it may be a bool or a word)."""
    if isinstance(value, bool):
        return "authentic" if value else "not_authentic"
    word = str(value).strip().lower()
    return "authentic" if word in {"authentic", "pass", "passed", "true", "ok"} else "not_authentic"


def region_iou(mask_path: str, regions: list[dict[str, Any]], *, boxed: bool = True) -> float:
    """IoU of the union of reported boxes (rasterised) with the true mask.

    Engines report boxes, so by default the mask is boxed too (each connected piece
    replaced by its bounding box): a perfect box around an irregular blob then scores
    1, not the blob's fill ratio. `boxed=False` gives the raw pixel IoU."""
    with Image.open(mask_path) as im:
        mask = np.asarray(im) > 127
    h, w = mask.shape
    if boxed:
        from scipy import ndimage

        lab, _ = ndimage.label(mask)
        truth = np.zeros_like(mask)
        for sl in ndimage.find_objects(lab):
            if sl is not None:
                truth[sl] = True
        mask = truth
    boxes = np.zeros_like(mask)
    for reg in regions:
        try:
            x0, y0, x1, y1 = (int(round(float(v))) for v in reg["box"])
        except (KeyError, TypeError, ValueError):
            continue
        boxes[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)] = True
    union = (boxes | mask).sum()
    return float((boxes & mask).sum() / union) if union else 0.0


def run_all(
    jobs_list: Iterable[tuple[str, int, str, int]],
    *,
    engine: str,
    seeds: list[Seed],
    jobs: int,
    progress: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    todo = list(jobs_list)
    rows: list[dict[str, Any]] = []
    if jobs <= 1:
        init_worker(engine, seeds)
        for job in todo:
            rows.append(run_one(job))
            progress(rows[-1])
        return rows
    import multiprocessing as mp

    # not fork: LibRaw's OpenMP threads, started in the parent, deadlock forked children
    ctx = mp.get_context("spawn")
    with ctx.Pool(
        jobs, initializer=init_worker, initargs=(engine, seeds), maxtasksperchild=20
    ) as pool:
        for row in pool.imap_unordered(run_one, todo):
            rows.append(row)
            progress(row)
    return rows


# --------------------------------------------------------------------------- scoring
def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f} %"


def _mean(xs: list[float]) -> float | None:
    return float(np.mean(xs)) if xs else None


def kind_table(rows: list[dict[str, Any]], split: str) -> list[str]:
    """Markdown table: one line per kind in `split` ("all" = both)."""
    sel = [r for r in rows if split == "all" or r["split"] == split]
    lines = [
        "| kind | category | n | correct | err | mean conf | IoU≥0.5 | mean IoU | median s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sel:
        by_kind[r["kind"]].append(r)
    order = [k for k in KINDS if k in by_kind]
    order.sort(key=lambda k: CATEGORY_ORDER.index(KINDS[k].category))
    for kind in order:
        rs = by_kind[kind]
        ious = [r["iou"] for r in rs if "iou" in r]
        lines.append(
            f"| {kind} | {KINDS[kind].category} | {len(rs)} "
            f"| {_pct(_mean([float(r['correct']) for r in rs]))} "
            f"| {sum(r['result'] == 'error' for r in rs)} "
            f"| {_fmt(_mean([r['confidence'] for r in rs]))} "
            f"| {_pct(_mean([float(i >= 0.5) for i in ious])) if ious else '-'} "
            f"| {_fmt(_mean(ious))} | {statistics.median(r['seconds'] for r in rs):.2f} |"
        )
    return lines


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def target_lines(rows: list[dict[str, Any]], split: str) -> list[str]:
    """The spec's targets (forensics.md, "How it is judged") measured on `split`."""
    sel = [r for r in rows if split == "all" or r["split"] == split]

    def rate(pred: Callable[[dict[str, Any]], bool]) -> tuple[float | None, int]:
        rs = [r for r in sel if pred(r)]
        return _mean([float(r["correct"]) for r in rs]), len(rs)

    local_detected = [r for r in sel if r["category"] == "local" and "iou" in r]
    iou_ok = _mean([float(r["iou"] >= 0.5) for r in local_detected])
    auth = rate(lambda r: r["category"] == "authentic")
    checks = [
        (
            "authentic cases wrongly rejected",
            None if auth[0] is None else 1 - auth[0],
            auth[1],
            "≤ 1 %",
        ),
        (
            "local manipulations ≥ 1 % of frame, detected",
            *rate(lambda r: r["category"] == "local" and r["area_share"] >= 0.01),
            "≥ 99 %",
        ),
        (
            "local manipulations ≥ 0.2 % of frame, detected",
            *rate(lambda r: r["category"] == "local" and r["area_share"] >= 0.002),
            "≥ 95 %",
        ),
        ("detected local edits with region IoU ≥ 0.5", iou_ok, len(local_detected), "≥ 90 %"),
        ("J from another scene detected", *rate(lambda r: r["kind"] == "other_scene"), "100 %"),
        (
            "J from another burst frame detected",
            *rate(lambda r: r["kind"] == "burst_frame"),
            "≥ 95 %",
        ),
        ("fake RAW detected", *rate(lambda r: r["category"] == "fake_raw"), "≥ 99 %"),
        ("recapture detected", *rate(lambda r: r["category"] == "recapture"), "≥ 95 %"),
    ]
    dust = [r for r in sel if r["kind"] == "dust_removal" and r["result"] != "error"]
    reported = _mean([float(r["passed"] and bool(r["regions"])) for r in dust])
    checks.append(("dust removal passed and reported as a region", reported, len(dust), "100 %"))
    lines = ["| measure | measured | n | target |", "|---|---|---|---|"]
    lines += [f"| {name} | {_pct(v)} | {n} | {t} |" for name, v, n, t in checks]
    return lines


def area_lines(rows: list[dict[str, Any]], split: str) -> list[str]:
    """Local-edit detection and localisation by the edit's share of the frame."""
    sel = [r for r in rows if (split == "all" or r["split"] == split) and r["category"] == "local"]
    edges = [0.0, 0.006, 0.01, 0.03, 0.1, 1.01]
    cells = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        rs = [r for r in sel if lo <= r["area_share"] < hi]
        if rs:
            ious = [float(r["iou"] >= 0.5) for r in rs if "iou" in r]
            cells.append(
                f"[{100 * lo:g},{100 * min(hi, 1):g}) %: n={len(rs)} "
                f"detected={_pct(_mean([float(r['correct']) for r in rs]))} "
                f"IoU≥0.5={_pct(_mean(ious))}"
            )
    return ["local edits by area (share of frame): " + ("; ".join(cells) or "none")]


def calibration_lines(rows: list[dict[str, Any]], split: str) -> list[str]:
    """Confidence bins vs accuracy: a calibrated engine is right c of the time at c."""
    sel = [r for r in rows if (split == "all" or r["split"] == split) and r["result"] != "error"]
    edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001]
    cells = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        rs = [r for r in sel if lo <= r["confidence"] < hi]
        if rs:
            acc = _mean([float(r["correct"]) for r in rs])
            cells.append(f"[{lo:.2f},{min(hi, 1):.2f}): n={len(rs)} acc={_pct(acc)}")
    return ["calibration (confidence bin: n, accuracy): " + ("; ".join(cells) or "no verdicts")]


def verificator_lines(rows: list[dict[str, Any]], split: str) -> list[str]:
    """Which analysis raises the alarm: false alarms on authentic cases, catches on the rest.

    The spec's recapture target is "detected at <= 1 % false alarms"; this is that table."""
    sel = [r for r in rows if (split == "all" or r["split"] == split) and r["result"] != "error"]
    names = sorted({v for r in sel for v in r.get("failed_by", [])})
    if not names:
        return []
    auth = [r for r in sel if r["expect_authentic"]]
    lines = [
        "| analysis | false alarms on authentic | "
        + " | ".join(f"fails {c}" for c in CATEGORY_ORDER[1:])
        + " |",
        "|---" * (2 + len(CATEGORY_ORDER[1:])) + "|",
    ]
    for name in names:
        cells = [
            _pct(_mean([float(name in r.get("failed_by", [])) for r in auth]) if auth else None)
        ]
        for cat in CATEGORY_ORDER[1:]:
            rs = [r for r in sel if r["category"] == cat]
            cells.append(_pct(_mean([float(name in r.get("failed_by", [])) for r in rs])))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def failures(rows: list[dict[str, Any]], limit: int = 15) -> list[str]:
    bad = [r for r in rows if not r["correct"]]
    bad.sort(key=lambda r: (r["category"] != "authentic", r["kind"], r["case_id"]))
    out = []
    for r in bad[:limit]:
        why = r.get("error") or (
            f"result={r['result']} conf={r['confidence']:.2f} failed_by={r.get('failed_by')}"
        )
        out.append(
            f"- {r['case_id']} ({r['split']}, {r['seed']}): {why} :: "
            f"{r['raw_path']} {r['jpeg_path']}"
        )
    return out
