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
        colors = raw.raw_colors_visible
        if colors is None or colors.shape[0] < 2 or colors.shape[1] < 2:
            return None
        desc = raw.color_desc.decode("ascii", "replace")
        greens = prnu.green_offsets(np.asarray(colors[:2, :2]), desc)
        if greens is None:  # X-Trans, Foveon, linear DNGs: no 2x2 Bayer tile
            return None
        levels = list(raw.black_level_per_channel or [0, 0, 0, 0])
        green_idx = [int(colors[dy, dx]) for dy, dx in greens]
        black = float(np.mean([levels[i] if i < len(levels) else levels[0] for i in green_idx]))
        return prnu.extract(
            raw.raw_image_visible, greens, black=black, white=float(raw.white_level), cap=cap
        )
