"""`RunOptions`: how this run of the coach was asked for, built once by the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Voice
from tempo_coach.core.overrides import Overrides

BACKENDS = ("auto", "stream", "simpleaudio", "bell")
"""`--backend`: auto is the open stream if it opens, else simpleaudio, else the terminal bell."""


@dataclass(frozen=True)
class RunOptions:
    """Everything the app and the session need to know about the command that started them."""

    preset: str | None = None
    """The preset named on the command line; None opens the start screen."""
    overrides: Overrides = field(default_factory=Overrides)
    mute: bool = False
    cue_log: Path | None = None
    audio_offset_ms: float = 0.0
    """Play every sound this much early (Bluetooth latency): the flag's, else config.yaml's."""
    flash: bool = False
    """Flash the whole screen on each phase change (config.yaml's `flash: true`; `l` toggles it)."""
    history: Path | None = None
    """The history database; None for the default (`$TEMPO_COACH_HISTORY`, else the data folder)."""
    backend: str = "auto"
    """One of BACKENDS."""
    keep_awake: bool = True
    """The open stream hisses at -60 dBFS between cues so a Bluetooth sink never sleeps."""
    voice: Voice | None = None
    """--voice; None leaves it to the preset, then `default_voice`."""
    default_voice: Voice = Voice.COUNTS
    """config.yaml's `voice:` (counts when it has none)."""
    load: Load | None = None
    """--load: the (first) exercise's working load; None: the preset's, else the last one used."""
    unit: Unit = Unit.KG
    """--unit, else config.yaml's `unit:`: what a load typed without a unit is in."""

    def voice_for(self, preset_voice: Voice | None) -> Voice:
        """What the coach says: --voice, else the preset's `voice:`, else config.yaml's, else counts."""
        return self.voice or preset_voice or self.default_voice

    @property
    def audio_offset_s(self) -> float:
        return self.audio_offset_ms / 1000
