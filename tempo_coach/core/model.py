"""The values a workout is made of: `Preset` and its `Fallback`, and the limits of their numbers.

Pure: the YAML loader (`tempo_coach.presets.loader`) builds these; the engine, cues and screens read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from tempo_coach.core.frozen import FrozenDict
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_S,
    REP_PHASES,
    Phase,
    Tempo,
    format_seconds,
    seconds_to_ms,
)

MAX_SETS = 99
MAX_REPS = 999
MAX_REST_S = 3600.0
MAX_GET_READY_S = 600.0
EXPLOSIVE_RANGE_S = (0.05, 5.0)
"""The limits of a preset's numbers, shared by the loader, the JSON Schema, the CLI and the start screen."""


class Lasts(str, Enum):
    """How long the fallback stays on once it is on."""

    SET = "set"
    """To the end of the set: each set starts at the preset's tempo again."""
    WORKOUT = "workout"


FALLBACK_LASTS = tuple(lasts.value for lasts in Lasts)


class Voice(str, Enum):
    """What the coach says aloud (the beeps still mark every phase)."""

    COUNTS = "counts"
    """The rep number as each rep begins (the default)."""
    PHASES = "phases"
    """The rep number, and each other phase by name: down, hold, up, top."""
    FULL = "full"
    """As phases, plus "set N" and the countdown, "go", "last rep", "rest" and what comes next, "fallback", "done"."""
    OFF = "off"


VOICES = tuple(voice.value for voice in Voice)
CUE_PHASES = ("general", *(p.value for p in REP_PHASES), "get_ready", "rest")


@dataclass(frozen=True)
class Fallback:
    """Phase durations (ms) that replace the preset's when the weight gets hard."""

    overrides: dict[Phase, int]
    after_rep: int | None = None
    lasts: Lasts = Lasts.SET

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", FrozenDict(self.overrides))

    def apply(self, tempo: Tempo) -> Tempo:
        return tempo.with_durations(self.overrides)

    def auto_from(self, reps: int | None) -> int | None:
        """The rep from which the fallback switches itself on in a set of `reps` (None: amrap), or
        None when it never does: no `after_rep`, or a set that ends before that rep."""
        if self.after_rep is None or (reps is not None and self.after_rep >= reps):
            return None
        return self.after_rep + 1

    def describe(self, tempo: Tempo) -> str:
        """'positive 2 s → 1 s'."""
        return ", ".join(
            f"{phase.label} {_phase_text(tempo, phase)} s → {format_seconds(ms)} s"
            for phase, ms in self.overrides.items()
        )


def _phase_text(tempo: Tempo, phase: Phase) -> str:
    return "X" if phase in tempo.explosive else format_seconds(tempo.duration_ms(phase))


@dataclass(frozen=True)
class Preset:
    """Everything the coach needs to run one exercise. `id` is the file's stem: 'leg-press'."""

    id: str
    tempo: Tempo
    name: str = ""
    exercise: str = ""
    sets: int = 3
    reps: int | None = 10
    rest_ms: int = 90_000
    get_ready_ms: int = 5_000
    explosive_ms: int = seconds_to_ms(DEFAULT_EXPLOSIVE_S)
    fallback: Fallback | None = None
    ticks: bool = False
    volume: float = 1.0
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    sounds: dict[str, Path] = field(default_factory=dict)
    voice: Voice | None = None
    """The preset's own `voice:`; None leaves it to the command line or config.yaml."""
    load: Load | None = None
    """The working sets' load (`load:`); None: the one the lifter last used for this exercise."""
    unit: Unit | None = None
    """`unit:` kg or lb; None: config.yaml's (kg when it says nothing)."""
    increment: float | None = None
    """What one press of the load keys adds (`increment:`); None: 2.5 kg or 5 lb."""
    get_ready_after_rest: bool = False
    """Count down again after each rest (`get_ready_after_rest: true`); by default the rest
    counts down to the set itself."""
    source: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", FrozenDict(self.cues))
        object.__setattr__(self, "sounds", FrozenDict(self.sounds))

    @property
    def reps_text(self) -> str:
        return "amrap" if self.reps is None else str(self.reps)

    @property
    def fallback_tempo(self) -> Tempo | None:
        return self.fallback.apply(self.tempo) if self.fallback else None

    def zero_rep_tempo(self) -> Tempo | None:
        """The tempo (the preset's or its fallback's) whose rep adds up to zero seconds, if any:
        such a rep would never advance, so no preset with one may run."""
        return next((t for t in (self.tempo, self.fallback_tempo) if t is not None and t.never_ends), None)
