"""Generate the shipped cue sounds: 16-bit mono 44.1 kHz WAVs, one per name in CUE_NAMES.

Deterministic (pure arithmetic, no randomness), stdlib only (math, array, wave), so running it again
writes byte-identical files: `python sounds/generate.py` (or `make sounds`); `--check` exits 1 if a
committed file differs from what the script would write.

Each sound is a sum of segments (tone sweeps with a few harmonics); every segment gets short
raised-cosine fades so nothing clicks, and every sound is normalised to the same RMS loudness
(ticks and the calibration click quieter) with a peak ceiling, so no cue is much louder than another.
The shapes are chosen to be told apart without looking: falling = down, rising = up, low pulses =
hold, a fast chirp = explode.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
PEAK = 0.89  # -1 dBFS ceiling
LOUDNESS_DBFS = -14.0  # RMS target for ordinary cues
FADE_S = 0.005


@dataclass(frozen=True)
class Tone:
    """`length` seconds sweeping `f0` -> `f1` Hz (exponentially), starting `at` seconds in."""

    at: float
    length: float
    f0: float
    f1: float | None = None
    harmonics: tuple[float, ...] = (1.0, 0.3, 0.1)
    decay: float = 0.0  # exponential decay rate per second (0 = flat)


@dataclass(frozen=True)
class Sound:
    tones: tuple[Tone, ...]
    loudness_dbfs: float = LOUDNESS_DBFS


def _square_ish(n: int) -> tuple[float, ...]:
    """Odd harmonics at 1/k: a buzzy timbre that cuts through gym noise."""
    return tuple(1.0 / k if k % 2 else 0.0 for k in range(1, n + 1))


SOUNDS: dict[str, Sound] = {
    "negative": Sound((Tone(0.0, 0.22, 1046.5, 523.25),)),
    "bottom_hold": Sound((Tone(0.0, 0.07, 220.0, harmonics=(1.0, 0.5, 0.35, 0.2)), Tone(0.11, 0.07, 220.0, harmonics=(1.0, 0.5, 0.35, 0.2)))),
    "positive": Sound((Tone(0.0, 0.22, 523.25, 1046.5),)),
    "top_hold": Sound((Tone(0.0, 0.09, 1318.5, harmonics=(1.0, 0.2)),)),
    "explosive": Sound((Tone(0.0, 0.09, 700.0, 2800.0, harmonics=_square_ish(7)),)),
    "tick": Sound((Tone(0.0, 0.018, 2093.0, harmonics=(1.0,), decay=120.0),), loudness_dbfs=-30.0),
    "countdown": Sound((Tone(0.0, 0.12, 987.77, harmonics=(1.0, 0.15)),)),
    "go": Sound((Tone(0.0, 0.32, 1975.5, harmonics=(1.0, 0.15)),)),
    "set_done": Sound(tuple(Tone(0.13 * i, 0.12, f, decay=6.0) for i, f in enumerate((1046.5, 783.99, 523.25)))),
    "rest_over": Sound(tuple(Tone(0.15 * i, 0.13, f, decay=4.0) for i, f in enumerate((783.99, 1046.5)))),
    "fallback": Sound((Tone(0.0, 0.08, 330.0, harmonics=_square_ish(9)), Tone(0.12, 0.08, 330.0, harmonics=_square_ish(9)))),
    "done": Sound(tuple(Tone(0.14 * i, 0.13 if i < 3 else 0.3, f, decay=3.0) for i, f in enumerate((523.25, 659.25, 783.99, 1046.5)))),
    "click": Sound((Tone(0.0, 0.006, 3000.0, harmonics=(1.0, 0.5, 0.3)),), loudness_dbfs=-20.0),
}


def render(sound: Sound) -> array:
    """The sound as 16-bit samples."""
    length = max(t.at + t.length for t in sound.tones)
    mix = [0.0] * (int(round(length * RATE)) + 1)
    for tone in sound.tones:
        _add(mix, tone)
    rms = math.sqrt(sum(x * x for x in mix) / len(mix))
    gain = 10 ** (sound.loudness_dbfs / 20) / rms
    gain = min(gain, PEAK / max(abs(x) for x in mix))
    return array("h", (int(round(x * gain * 32767)) for x in mix))


def _add(mix: list[float], tone: Tone) -> None:
    start, count = int(round(tone.at * RATE)), int(round(tone.length * RATE))
    fade = min(int(FADE_S * RATE), count // 2)
    f1 = tone.f1 if tone.f1 is not None else tone.f0
    phase = 0.0
    for i in range(count):
        progress = i / count
        frequency = tone.f0 * (f1 / tone.f0) ** progress
        phase += 2 * math.pi * frequency / RATE
        value = sum(a * math.sin(k * phase) for k, a in enumerate(tone.harmonics, start=1) if a)
        envelope = math.exp(-tone.decay * i / RATE)
        if i < fade:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * i / fade)
        elif i >= count - fade:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * (count - i) / fade)
        mix[start + i] += value * envelope


def write_wav(samples: array, path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes() if sys.byteorder == "little" else _swapped(samples))


def _swapped(samples: array) -> bytes:
    copy = array("h", samples)
    copy.byteswap()
    return copy.tobytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="where to write (default: beside this script)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a committed file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for name, sound in SOUNDS.items():
        path = args.out / f"{name}.wav"
        samples = render(sound)
        if args.check:
            if not path.is_file() or _frames(path) != samples.tobytes():
                stale.append(name)
            continue
        write_wav(samples, path)
        print(f"{path}  {len(samples) / RATE * 1000:.0f} ms")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python sounds/generate.py", file=sys.stderr)
        return 1
    return 0


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


if __name__ == "__main__":
    sys.exit(main())
