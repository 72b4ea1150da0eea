"""Camera fingerprints from photo-response non-uniformity (PRNU), in the RAW domain.

A sensor's pixels differ slightly in sensitivity: I = I0 (1 + K) + noise, and K is
stable for the life of the body. We estimate K from the green CFA sites of the
black-subtracted mosaic (no demosaicing, no JPEG, no tone curve in the way):

1. Variance-stabilise with 2 sqrt(x) so photon shot noise has a constant variance;
   the PRNU term becomes I K / 2, still multiplicative.
2. Noise residual W = I - denoise(I): a 4-level orthonormal Haar decomposition whose
   detail bands are shrunk with Mihcak's local Wiener filter (the classic Lukas-Fridrich
   recipe, with Haar instead of Daubechies so that numpy alone suffices).
3. Zero-mean every row and column of W, removing the readout's line patterns that
   all bodies of one model share (they would otherwise match across bodies).
4. Fingerprint (MLE over k RAWs): K = sum(W_i I_i) / sum(I_i^2). Numerator and
   denominator are kept, so a new RAW updates a fingerprint without the old ones.
5. Matching: the peak-to-correlation-energy ratio (PCE) of the cross-correlation of
   W with I K. When the RAW has the fingerprint's frame size (the usual case: a RAW is
   full frame, whatever the JPEG crops), the peak is read at zero shift; otherwise the
   whole plane is searched and the shift is reported.

Pure numpy/scipy; no Django. Callers read the mosaic (e.g. with rawpy).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import uniform_filter

LEVELS = 4
WINDOWS = (3, 5, 7, 9)
PCE_THRESHOLD = 60.0  # large-scale studies (Goljan et al. 2009): FAR ~1e-5 at 60
PEAK_EXCLUSION = 11  # the peak's neighbourhood left out of the correlation energy
DEFAULT_CAP = 1024  # mosaic pixels per side analysed (a centred window): ~0.1 s
INFORMATIVE_SIGNAL = 2e8  # see Match.conclusive; calibrated with bench/prnu.py
SATURATION = 0.97  # of the white level: clipped pixels carry no PRNU
TILE = 2 * 2**LEVELS  # mosaic windows are multiples of this, so every level halves


@dataclass
class GreenData:
    """Green CFA planes of one mosaic window: intensity I and residual W, shape (2, h, w)."""

    intensity: np.ndarray
    residual: np.ndarray
    origin: tuple[int, int]  # top-left of the window in mosaic pixels
    frame: tuple[int, int]  # the full mosaic's (height, width)


def green_offsets(pattern: np.ndarray, color_desc: str) -> list[tuple[int, int]] | None:
    """The two green sites (dy, dx) of a 2x2 Bayer tile, or None for other CFAs."""
    pattern = np.asarray(pattern)
    if pattern.shape != (2, 2):
        return None
    sites = [
        (dy, dx)
        for dy in range(2)
        for dx in range(2)
        if int(pattern[dy, dx]) < len(color_desc) and color_desc[int(pattern[dy, dx])] == "G"
    ]
    return sites if len(sites) == 2 else None


def _window(frame: tuple[int, int], cap: int) -> tuple[int, int, int, int]:
    h, w = frame
    wh, ww = (min(cap, h) // TILE) * TILE, (min(cap, w) // TILE) * TILE
    if wh < TILE or ww < TILE:
        raise ValueError("the mosaic is too small for a sensor fingerprint")
    # Even origins keep the CFA phase; centred so a full-frame RAW always lands alike.
    return ((h - wh) // 2) & ~1, ((w - ww) // 2) & ~1, wh, ww


def extract(
    mosaic: np.ndarray,
    greens: list[tuple[int, int]],
    *,
    black: float,
    white: float,
    cap: int = DEFAULT_CAP,
) -> GreenData:
    """Intensity and noise residual of the green sites in a centred window of `mosaic`."""
    frame = (int(mosaic.shape[0]), int(mosaic.shape[1]))
    y0, x0, wh, ww = _window(frame, cap)
    window = mosaic[y0 : y0 + wh, x0 : x0 + ww]
    planes = np.stack([window[dy::2, dx::2] for dy, dx in greens]).astype(np.float32)
    clipped = planes >= black + SATURATION * (white - black)
    signal = np.clip(planes - np.float32(black), 0.0, None)
    intensity = 2.0 * np.sqrt(signal)
    residual = np.stack([noise_residual(p) for p in intensity])
    residual[clipped] = 0.0
    intensity[clipped] = 0.0
    return GreenData(intensity, residual, (y0, x0), frame)


# --------------------------------------------------------------------------- denoiser
def _haar(x: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    a, b = x[0::2, 0::2], x[0::2, 1::2]
    c, d = x[1::2, 0::2], x[1::2, 1::2]
    return (a + b + c + d) * 0.5, (
        (a - b + c - d) * 0.5,
        (a + b - c - d) * 0.5,
        (a - b - c + d) * 0.5,
    )


def _ihaar(approx: np.ndarray, bands: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    h, v, d = bands
    out = np.empty((approx.shape[0] * 2, approx.shape[1] * 2), np.float32)
    out[0::2, 0::2] = (approx + h + v + d) * 0.5
    out[0::2, 1::2] = (approx - h + v - d) * 0.5
    out[1::2, 0::2] = (approx + h - v - d) * 0.5
    out[1::2, 1::2] = (approx - h - v + d) * 0.5
    return out


def _wiener_residual(band: np.ndarray, noise_var: float) -> np.ndarray:
    """What Mihcak's locally adaptive Wiener filter removes from a detail band."""
    energy = band * band
    signal_var = np.full(band.shape, np.inf, np.float32)
    for size in WINDOWS:
        local = uniform_filter(energy, size=size, mode="reflect") - noise_var
        np.minimum(signal_var, np.maximum(local, 0.0), out=signal_var)
    return band * (noise_var / (signal_var + noise_var))


def noise_residual(plane: np.ndarray) -> np.ndarray:
    """Zero-mean (per row and column) noise residual of one plane; sides divisible by 16.

    Cycle-spun over the four one-pixel shifts: a decimated Haar transform leaves block
    edges where scene texture leaks into the residual, and averaging shifted copies
    halves that leak (measured: ~1.5x the PCE on textured scenes, for 4x the time).
    """
    x = np.asarray(plane, np.float32)
    out = np.zeros_like(x)
    for sy, sx in ((0, 0), (0, 1), (1, 0), (1, 1)):
        shifted = np.roll(x, (sy, sx), axis=(0, 1))
        out += np.roll(_residual_once(shifted), (-sy, -sx), axis=(0, 1))
    out *= 0.25
    out -= out.mean(axis=1, keepdims=True)
    out -= out.mean(axis=0, keepdims=True)
    return out


def _residual_once(x: np.ndarray) -> np.ndarray:
    stack = []
    approx = x
    for _ in range(LEVELS):
        approx, bands = _haar(approx)
        stack.append(bands)
    # The finest diagonal band is mostly noise: its MAD gives the noise level.
    sigma = float(np.median(np.abs(stack[0][2]))) / 0.6745
    noise_var = np.float32(max(sigma * sigma, 1e-6))
    rec = np.zeros_like(approx)  # the coarse approximation is scene, never noise
    for bands in reversed(stack):
        rec = _ihaar(rec, tuple(_wiener_residual(b, noise_var) for b in bands))
    return rec


# --------------------------------------------------------------------------- fingerprint
@dataclass
class Fingerprint:
    """MLE accumulators over the RAWs seen so far; K = numerator / denominator."""

    numerator: np.ndarray
    denominator: np.ndarray
    count: int
    origin: tuple[int, int]
    frame: tuple[int, int]

    @classmethod
    def start(cls, data: GreenData) -> Fingerprint:
        zeros = np.zeros_like(data.intensity, dtype=np.float32)
        return cls(zeros, zeros.copy(), 0, data.origin, data.frame)

    def compatible(self, data: GreenData) -> bool:
        return (
            data.frame == self.frame
            and data.origin == self.origin
            and data.intensity.shape == self.numerator.shape
        )

    def add(self, data: GreenData) -> None:
        if not self.compatible(data):
            raise ValueError("this RAW's frame differs from the fingerprint's")
        # Per-RAW weight 1/var(W): a textured scene leaks more of itself into its
        # residual, so it counts for less (MLE with a per-image noise variance).
        weight = np.float32(1.0 / max(float(np.mean(data.residual**2)), 1e-12))
        self.numerator += weight * data.residual * data.intensity
        self.denominator += weight * data.intensity * data.intensity
        self.count += 1

    def estimate(self) -> np.ndarray:
        k = self.numerator / np.maximum(self.denominator, 1.0)
        for plane in k:  # the same line patterns the residual already lost
            plane -= plane.mean(axis=1, keepdims=True)
            plane -= plane.mean(axis=0, keepdims=True)
        return k.astype(np.float32)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            numerator=self.numerator.astype(np.float32),
            denominator=self.denominator.astype(np.float32),
            meta=np.array([self.count, *self.origin, *self.frame], np.int64),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Fingerprint:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            count, oy, ox, fh, fw = (int(v) for v in z["meta"])
            return cls(z["numerator"], z["denominator"], count, (oy, ox), (fh, fw))


def estimate(items: list[GreenData]) -> Fingerprint:
    fp = Fingerprint.start(items[0])
    for data in items:
        fp.add(data)
    return fp


# --------------------------------------------------------------------------- matching
@dataclass
class Match:
    pce: float
    shift: tuple[int, int]  # (dy, dx) in green-plane pixels; (0, 0) for aligned frames
    correlation: float  # normalised correlation at the peak
    aligned: bool  # True when the frames agreed and only the zero shift was tested
    neighbour_pce: float = 0.0  # the strongest shift next to the peak, on the same scale
    signal: float = 0.0  # pixels x light-to-residual energy: what a match could reach

    def conclusive(self, raws: int) -> bool:
        """Whether a PCE below threshold means "another sensor" rather than "can't tell".

        PRNU is multiplicative: a dark frame carries almost none, and a scene of fine
        texture (grass, gravel) leaks into the residual and drowns it. Below this much
        signal even the body's own RAWs often miss the threshold (bench/prnu.py). A
        fingerprint from fewer RAWs is noisier (the genuine PCE grows about linearly
        with their number up to ~25), so it needs proportionally more signal.
        """
        return self.signal >= INFORMATIVE_SIGNAL * max(1.0, 10.0 / max(raws, 1))

    def matched(self, threshold: float = PCE_THRESHOLD) -> bool:
        return self.pce >= threshold


def _pad(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    out = np.zeros((a.shape[0], *shape), np.float32)
    out[:, : a.shape[1], : a.shape[2]] = a
    return out


def pce(data: GreenData, fingerprint: Fingerprint, *, k: np.ndarray | None = None) -> Match:
    """PCE of the RAW against a fingerprint: sum_x W(x) I(x) K(x + s) over shifts s.

    W I correlated with K is exactly W correlated with the predicted PRNU term I K at
    every shift, so one FFT product serves both the aligned and the searched case.
    """
    k = fingerprint.estimate() if k is None else k  # callers testing many RAWs pass it once
    aligned = fingerprint.compatible(data)
    a = data.residual * data.intensity
    if not aligned:  # another frame size or window: embed both and search every shift
        shape = (max(a.shape[1], k.shape[1]), max(a.shape[2], k.shape[2]))
        a, k = _pad(a, shape), _pad(k, shape)
    xc = np.zeros(a.shape[1:], np.float64)
    for pa, pk in zip(a, k, strict=True):
        fa = np.fft.rfft2(pa - pa.mean())
        fk = np.fft.rfft2(pk - pk.mean())
        xc += np.fft.irfft2(fa * np.conj(fk), s=pa.shape)
    h, w = xc.shape
    py, px = (0, 0) if aligned else np.unravel_index(int(np.argmax(xc)), xc.shape)
    peak = float(xc[py, px])
    r = PEAK_EXCLUSION // 2
    mask = np.ones(xc.shape, dtype=bool)
    rows = [(py + d) % h for d in range(-r, r + 1)]
    cols = [(px + d) % w for d in range(-r, r + 1)]
    mask[np.ix_(rows, cols)] = False
    energy = float(np.mean(xc[mask] ** 2))
    value = float(np.sign(peak) * peak * peak / max(energy, 1e-30))
    ring = np.abs(xc[np.ix_(rows, cols)])
    ring[r, r] = 0.0
    neighbour = float(ring.max() ** 2 / max(energy, 1e-30))
    norm = float(np.sqrt(np.sum(a * a, dtype=np.float64) * np.sum(k * k, dtype=np.float64)))
    dy = int(py if py <= h // 2 else py - h)
    dx = int(px if px <= w // 2 else px - w)
    signal = float(
        data.intensity.size
        * np.mean(data.intensity**2, dtype=np.float64)
        / max(float(np.mean(data.residual**2, dtype=np.float64)), 1e-12)
    )
    return Match(
        signal=signal,
        pce=value,
        shift=(dy, dx),
        correlation=peak / (norm or 1.0),
        aligned=aligned,
        neighbour_pce=neighbour,
    )
