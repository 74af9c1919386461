"""The samples of one open stream: clips placed at frame positions, mixed over a background. Pure.

The stream backend calls `mix` for each block the sound card asks for. A clip is a run of signed
16-bit mono samples (`array('h')`, native byte order) with the stream frame of its first sample.
Where one clip plays alone its samples are written as they are, replacing the background (so a cue
reaches the device bit for bit, as with simpleaudio); where clips overlap they are summed and
clipped to 16 bits. Between clips the background plays: silence, or the keep-awake hiss.

Everything per block is slice copies done in C, except where clips overlap (rare: a voice never
overlaps a beep, see `yield_to`), so a block costs a few microseconds of Python.

- `cut(clip, at, fade)`: a clip stopped at frame `at` (pause, a re-plan) ends with a linear fade over
  `fade` frames instead of a click.
- `yield_to(voice, beep_start, fade)`: a voice clip still playing when a beep starts is cut so that
  its fade ends as the beep begins: the beep that marks a deadline is never masked.
- `keep_awake_noise()`: the hiss at about -60 dBFS that keeps a Bluetooth sink from going to sleep
  between cues; deterministic, so a test can predict every sample.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

FADE_S = 0.005
"""A clip cut short fades out over this long: long enough not to click, short enough not to be heard as a tail."""
NOISE_PEAK = 57
"""Uniform noise of this peak has an RMS of 33, -60 dBFS: inaudible, but not digital silence."""
_NOISE_SEED = 0x2545F491


@dataclass(frozen=True)
class Placed:
    """A clip placed in the stream: its first sample plays at stream frame `start`."""

    key: Hashable
    start: int
    samples: array[int]
    voice: bool = False

    @property
    def end(self) -> int:
        """The frame after its last sample."""
        return self.start + len(self.samples)


def mix(clips: Sequence[Placed], first: int, count: int, background: array[int] | None = None) -> array[int]:
    """The `count` samples of stream frames [first, first + count): the background (looped; None is
    silence) with every clip that plays then written over it, overlapping clips summed."""
    out = _background(background, first, count)
    written: list[tuple[int, int]] = []
    for clip in sorted(clips, key=lambda c: (c.start, str(c.key))):
        lo, hi = max(first, clip.start), min(first + count, clip.end)
        if lo >= hi:
            continue
        for a, b, overlapping in _split(lo, hi, written):
            part = clip.samples[a - clip.start : b - clip.start]
            out[a - first : b - first] = _add(out[a - first : b - first], part) if overlapping else part
        written.append((lo, hi))
    return out


def _background(background: array[int] | None, first: int, count: int) -> array[int]:
    if not background:
        return array("h", bytes(2 * count))
    out = array("h")
    position = first % len(background)
    while len(out) < count:
        take = min(count - len(out), len(background) - position)
        out.extend(background[position : position + take])
        position = 0
    return out


def _split(lo: int, hi: int, written: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """[lo, hi) cut into runs, each marked True where an earlier clip was already written there."""
    edges = sorted({lo, hi, *(x for a, b in written for x in (a, b) if lo < x < hi)})
    return [(a, b, any(w_lo < b and a < w_hi for w_lo, w_hi in written)) for a, b in zip(edges, edges[1:])]


def _add(a: array[int], b: array[int]) -> array[int]:
    return array("h", [max(-32768, min(32767, x + y)) for x, y in zip(a, b)])


def cut(clip: Placed, at: int, fade: int) -> Placed | None:
    """`clip` stopped at frame `at`: it fades out over the `fade` frames from there (None: it had not
    started, so nothing of it plays)."""
    if at <= clip.start:
        return None
    if at >= clip.end:
        return clip
    keep = at - clip.start
    tail = clip.samples[keep : keep + fade]
    steps = max(1, fade)
    faded = array("h", [int(s * (steps - i) / (steps + 1)) for i, s in enumerate(tail)])
    return replace(clip, samples=clip.samples[:keep] + faded)


def yield_to(voice: Placed, beep_start: int, fade: int, earliest: int) -> Placed | None:
    """A voice clip that would still play when a beep starts at `beep_start`: cut so that its fade
    ends there (or, when the frames before it are already written, as soon as possible after
    `earliest`). Clips that end before the beep are returned unchanged."""
    if not voice.voice or voice.end <= beep_start or voice.start >= beep_start:
        return voice
    return cut(voice, max(earliest, beep_start - fade), fade)


def keep_awake_noise(frames: int) -> array[int]:
    """`frames` samples of uniform noise at NOISE_PEAK (-60 dBFS RMS), the same every time."""
    state, out = _NOISE_SEED, array("h", bytes(2 * frames))
    for i in range(frames):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        out[i] = state % (2 * NOISE_PEAK + 1) - NOISE_PEAK
    return out


def resampled(samples: array[int], rate: int, to_rate: int) -> array[int]:
    """`samples` at `rate` as samples at `to_rate` (done once per clip, ahead of time). A whole
    multiple (the voice: 22.05 -> 44.1 kHz) repeats each sample, in C: 100 times faster than
    interpolating in Python, which mattered for a new number every rep (CPU); the images it leaves
    are above 11 kHz and 13 dB down at least, on speech. Other rates: linear interpolation."""
    if rate == to_rate or not samples:
        return samples
    if to_rate % rate == 0:
        times = to_rate // rate
        out = array("h", bytes(2 * len(samples) * times))
        for phase in range(times):
            out[phase::times] = samples
        return out
    count = max(1, round(len(samples) * to_rate / rate))
    step, last = rate / to_rate, len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        j = min(int(position), last)
        k = min(j + 1, last)
        out[i] = round(samples[j] + (samples[k] - samples[j]) * (position - j))
    return out


def to_mono(samples: array[int], channels: int) -> array[int]:
    """Interleaved stereo (or mono) samples as mono: the channels averaged."""
    if channels == 1:
        return samples
    return array("h", [(a + b) // 2 for a, b in zip(samples[0::2], samples[1::2])])


def scaled(samples: array[int], gain: float) -> array[int]:
    """The samples at `gain` (0..1)."""
    return samples if gain >= 1.0 else array("h", [int(s * gain) for s in samples])
