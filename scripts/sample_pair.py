"""Write a synthetic camera pair (photo.dng + photo.jpg) for trying the API.

Usage: .venv/bin/python scripts/sample_pair.py [DIR]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.factories.dng import make_pair  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    raw, jpeg = make_pair(out / ".sample", size=(1536, 1024), source="astronaut", seed=3)
    shutil.move(raw, out / "photo.dng")
    shutil.move(jpeg, out / "photo.jpg")
    shutil.rmtree(out / ".sample", ignore_errors=True)
    print(f"wrote {out / 'photo.dng'} and {out / 'photo.jpg'}")


if __name__ == "__main__":
    main()
