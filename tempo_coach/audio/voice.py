"""The shipped voice clips: `sounds/voice/<word>.wav`, 16-bit mono, recorded by sounds/make_voice.py.

`voice_lengths()` reads only the headers (for planning: how long each word lasts); `spoken(words)`
reads the words' clips and joins them into one (e.g. "set" + "2"). It depends on no other audio
module, so every backend can use it.
"""

from __future__ import annotations

import wave
from pathlib import Path

from tempo_coach.core.cues import VOICE_PREFIX
from tempo_coach.paths import shipped_sounds_dir


def voice_dir() -> Path:
    return shipped_sounds_dir() / "voice"


def voice_lengths(folder: Path | None = None) -> dict[str, float]:
    """'voice:<word>' -> seconds, for every recording there is (empty if the folder is missing)."""
    lengths: dict[str, float] = {}
    for path in sorted((folder or voice_dir()).glob("*.wav")):
        try:
            with wave.open(str(path), "rb") as wav:
                if wav.getsampwidth() == 2 and wav.getnchannels() == 1 and wav.getnframes() > 0:
                    lengths[VOICE_PREFIX + path.stem] = wav.getnframes() / wav.getframerate()
        except (wave.Error, EOFError, OSError):
            continue
    return lengths


def spoken(words: tuple[str, ...], folder: Path | None = None) -> tuple[bytes, int]:
    """The 16-bit little-endian mono frames of `words` one after the other, and their rate (all
    recordings share one)."""
    data, rate = b"", 0
    for word in words:
        with wave.open(str((folder or voice_dir()) / f"{word}.wav"), "rb") as wav:
            rate = wav.getframerate()
            data += wav.readframes(wav.getnframes())
    return data, rate


def words_of(name: str) -> tuple[str, ...]:
    """'voice:set 2' -> ('set', '2')."""
    return tuple(name.removeprefix(VOICE_PREFIX).split())
