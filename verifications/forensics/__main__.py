from __future__ import annotations

import argparse
import json
import sys

from .errors import UnreadableInput
from .pipeline import analyse


def _format_text(d: dict) -> str:
    lines = [
        f"verdict: {'AUTHENTIC' if d['result'] else 'NOT AUTHENTIC'} "
        f"(confidence {d['result_confidence']:.2f})"
    ]
    for a in d["analyses"]:
        mark = "pass" if a["result"] else "FAIL"
        lines.append(f"  {a['verificator']:<22}{mark}  {a['details'].get('explanation', '')}")
    for key in ("rendition_info", "rendition_corrected_info"):
        if d.get(key, {}).get("summary"):
            lines.append(f"{key}: {d[key]['summary']}")
    for r in d["regions"]:
        lines.append(f"  region {r['kind']} box={r['box']} area={100 * r['area_share']:.2f} %")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m verifications.forensics",
        description="Check that IMAGE is an honest rendition of RAW.",
    )
    ap.add_argument("raw")
    ap.add_argument("image")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    ap.add_argument("--out", help="directory for the derived images")
    args = ap.parse_args(argv)
    try:
        report = analyse(args.raw, args.image, out_dir=args.out)
    except UnreadableInput as exc:
        print(f"unreadable {exc.field}: {exc.reason}", file=sys.stderr)
        return 2
    except MemoryError:
        print("unreadable raw: the file needs more memory than allowed to decode.", file=sys.stderr)
        return 2
    except Exception as exc:  # a verdict we cannot give must still be one readable line
        print(f"error: the analysis failed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    d = report.to_dict()
    print(json.dumps(d, indent=2) if args.json else _format_text(d))
    return 0 if report.result else 1


if __name__ == "__main__":
    sys.exit(main())
