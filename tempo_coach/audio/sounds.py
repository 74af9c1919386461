"""The cues' sounds: each preset's own WAV, else the shipped one, read and checked once at open."""

from __future__ import annotations

from pathlib import Path

from tempo_coach.audio.backend import AudioError
from tempo_coach.audio.wav import Clip, WavError, read_wav
from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.model import Preset
from tempo_coach.core.text import printable
from tempo_coach.paths import shipped_sounds_dir

MAX_CUE_S = 3.0
"""Longer sounds are cut: a cue that is still playing when the next is due can block the device."""


def load_wav(path: Path) -> Clip:
    """The WAV at `path` as 16-bit frames, cut to MAX_CUE_S; AudioError says why it cannot play."""
    try:
        return read_wav(path, MAX_CUE_S)
    except WavError as error:
        raise AudioError(f"{printable(str(path))} {error}") from None


def load_sounds(preset: Preset, shipped: Path | None = None) -> tuple[dict[str, Clip], list[str]]:
    """Every cue's clip (the preset's own WAV, else the shipped one) and the problems met on the way."""
    shipped = shipped or shipped_sounds_dir()
    clips: dict[str, Clip] = {}
    problems: list[str] = []
    for name in CUE_NAMES:
        own = preset.sounds.get(name)
        if own is not None:
            try:
                clips[name] = load_wav(own)
                continue
            except AudioError as error:
                problems.append(f"sounds.{name}: {error}; using the shipped sound")
        try:
            clips[name] = load_wav(shipped / f"{name}.wav")
        except AudioError as error:
            problems.append(f"{name}: {error}")
    return clips, problems
