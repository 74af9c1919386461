"""Record the shipped voice clips with espeak-ng: `sounds/voice/<word>.wav` (a development tool).

    python sounds/make_voice.py          (or `make voice`; needs the Debian package espeak-ng)

Writes one clip per word the coach may say (`tempo_coach.core.cues`: the numbers 1-100, the phase
words, go, rest, set, last rep, fallback, done, next) and one per exercise of the shipped presets,
named by `slug` ('Romanian deadlift' -> romanian-deadlift.wav). Each clip is espeak-ng's 22 050 Hz
mono 16-bit output, trimmed of the silence around the word (keeping a few milliseconds, with short
fades so nothing clicks) and normalised to the loudness of the beeps (peak-limited). The same
espeak-ng version writes the same files; the version used is in sounds/voice/ENGINE. Nothing here
is needed at run time: the WAVs are committed and shipped in the wheel.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tempo_coach.core.cues import SPOKEN_NUMBERS, VOICE_WORDS, slug  # noqa: E402
from tempo_coach.presets.loader import load_preset  # noqa: E402

OUT = ROOT / "sounds" / "voice"
RATE = 22_050
ESPEAK = ["espeak-ng", "-v", "en-us", "-s", "190", "-a", "200"]
SAID = {"last-rep": "last rep", "set": "set,", "next": "next,"}
"""How a word is written for espeak-ng when it differs from its name (a comma keeps 'set' from running on)."""
SILENCE = 0.02
"""Below this fraction of the peak, a sample at either end counts as silence."""
MARGIN_S = 0.008
FADE_S = 0.004
LOUDNESS_DBFS = -16.0
PEAK = 0.89


def words() -> dict[str, str]:
    """Recording name -> the text spoken."""
    said = {str(n): str(n) for n in SPOKEN_NUMBERS}
    said |= {word: SAID.get(word, word) for word in VOICE_WORDS}
    for preset in sorted((ROOT / "presets").glob("*.yaml")):
        exercise = load_preset(preset).exercise
        if exercise:
            said[slug(exercise)] = exercise
    return said


def speak(text: str, folder: Path) -> array[int]:
    wav_path = folder / "say.wav"
    subprocess.run([*ESPEAK, "-w", str(wav_path), text], check=True)
    with wave.open(str(wav_path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2), "unexpected espeak-ng output"
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def trimmed(samples: array[int]) -> array[int]:
    """Without the silence before and after the word, keeping MARGIN_S, faded in and out."""
    floor = SILENCE * max(abs(s) for s in samples)
    loud = [i for i, s in enumerate(samples) if abs(s) > floor]
    margin = int(MARGIN_S * RATE)
    start, end = max(0, loud[0] - margin), min(len(samples), loud[-1] + margin)
    out = [float(s) for s in samples[start:end]]
    fade = int(FADE_S * RATE)
    for i in range(min(fade, len(out))):
        out[i] *= i / fade
        out[-1 - i] *= i / fade
    return normalised(out)


def normalised(samples: list[float]) -> array[int]:
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    peak = max(abs(s) for s in samples)
    gain = min(32767 * 10 ** (LOUDNESS_DBFS / 20) / rms, 32767 * PEAK / peak)
    return array("h", [round(s * gain) for s in samples])


def write(path: Path, samples: array[int]) -> None:
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(data.tobytes())


def main() -> int:
    OUT.mkdir(exist_ok=True)
    wanted = words()
    for stale in OUT.glob("*.wav"):
        if stale.stem not in wanted:
            stale.unlink()
    with tempfile.TemporaryDirectory() as folder:
        for name, text in wanted.items():
            write(OUT / f"{name}.wav", trimmed(speak(text, Path(folder))))
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout.split("Data at")[0].strip()
    (OUT / "ENGINE").write_text(f"{version}\n{' '.join(ESPEAK)}\n")
    total = sum(p.stat().st_size for p in OUT.glob("*.wav"))
    print(f"{len(wanted)} clips, {total / 1e6:.2f} MB in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
