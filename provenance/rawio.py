"""Read a RAW's green CFA sites for the sensor fingerprint (rawpy unpack only, no Django).

Only the mosaic is unpacked (no demosaicing), and only a centred window of at most
`cap` pixels a side is analysed, so a 24 MP RAW costs well under a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from verifications.forensics import prnu


def read_green(path: str | Path, *, cap: int = prnu.DEFAULT_CAP) -> prnu.GreenData | None:
    """Residual and intensity of the green sites, or None for non-Bayer sensors."""
    import rawpy

    with rawpy.imread(str(path)) as raw:
        if raw.raw_type != rawpy.RawType.Flat or raw.raw_pattern is None:
            return None  # per-pixel RGB (linear DNG, sRAW): no mosaic to read
        pattern = np.asarray(raw.raw_pattern)
        if pattern.shape != (2, 2):  # X-Trans and other non-Bayer layouts
            return None
        # raw_pattern is phased on the full sensor; the visible area starts at the margins.
        sizes = raw.sizes
        pattern = np.roll(pattern, (-(sizes.top_margin % 2), -(sizes.left_margin % 2)), (0, 1))
        desc = raw.color_desc.decode("ascii", "replace")
        greens = prnu.green_offsets(pattern, desc)
        if greens is None:
            return None
        levels = list(raw.black_level_per_channel or [0, 0, 0, 0])
        green_idx = [int(pattern[dy, dx]) for dy, dx in greens]
        black = float(np.mean([levels[i] if i < len(levels) else levels[0] for i in green_idx]))
        return prnu.extract(
            raw.raw_image_visible, greens, black=black, white=float(raw.white_level), cap=cap
        )
