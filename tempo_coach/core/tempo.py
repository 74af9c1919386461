"""Tempo notation: "2-1-1-1", "2.5-0.5-1-0", "31X0" or a mapping -> Tempo. Pure.

Durations are kept as whole milliseconds so that adding up thousands of phases is exact:
a timeline built from them never drifts, whatever the float rounding of seconds would do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

MAX_PHASE_S = 60.0
DEFAULT_EXPLOSIVE_S = 0.5


class Phase(str, Enum):
    """Every phase the coach can be in, in the order a workout meets them."""

    NOT_STARTED = "not_started"
    GET_READY = "get_ready"
    NEGATIVE = "negative"
    BOTTOM_HOLD = "bottom_hold"
    POSITIVE = "positive"
    TOP_HOLD = "top_hold"
    REST = "rest"
    DONE = "done"

    @property
    def label(self) -> str:
        """The phase as a lifter reads it: "bottom hold"."""
        return self.value.replace("_", " ")


REP_PHASES = (Phase.NEGATIVE, Phase.BOTTOM_HOLD, Phase.POSITIVE, Phase.TOP_HOLD)

ACCEPTED_FORMS = (
    "accepted forms: '2-1-1-1', '2.5-0.5-1-0', 'X' for explosive ('3-1-X-0'), "
    "compact '31X0', or a mapping {negative, bottom_hold, positive, top_hold}"
)


class TempoError(ValueError):
    """A tempo that cannot be read; the message says why and shows the accepted forms."""


def seconds_to_ms(seconds: float) -> int:
    """Round seconds to whole milliseconds, the engine's unit of time."""
    return int(round(seconds * 1000))


@dataclass(frozen=True)
class Tempo:
    """Four phase durations in milliseconds, plus which phases are explosive ('X')."""

    negative_ms: int
    bottom_hold_ms: int
    positive_ms: int
    top_hold_ms: int
    explosive: frozenset[Phase] = field(default=frozenset())

    def duration_ms(self, phase: Phase) -> int:
        return {
            Phase.NEGATIVE: self.negative_ms,
            Phase.BOTTOM_HOLD: self.bottom_hold_ms,
            Phase.POSITIVE: self.positive_ms,
            Phase.TOP_HOLD: self.top_hold_ms,
        }[phase]

    @property
    def rep_ms(self) -> int:
        return sum(self.duration_ms(p) for p in REP_PHASES)

    def with_durations(self, overrides: Mapping[Phase, int]) -> Tempo:
        """This tempo with some phases replaced (by whole-ms durations); those stop being explosive."""
        fields = {f"{phase.value}_ms": ms for phase, ms in overrides.items()}
        return replace(self, explosive=self.explosive - set(overrides), **fields)

    def parts(self) -> list[str]:
        """Each phase as written: '2', '0.5' or 'X'."""
        return ["X" if p in self.explosive else format_seconds(self.duration_ms(p)) for p in REP_PHASES]

    def __str__(self) -> str:
        return "-".join(self.parts())


def format_seconds(ms: int) -> str:
    """1000 -> '1', 2500 -> '2.5', 125 -> '0.125'."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_DASHED = re.compile(rf"^\s*({_NUMBER}|[xX])\s*(?:-\s*({_NUMBER}|[xX])\s*){{3}}$", re.ASCII)
_PART = re.compile(rf"{_NUMBER}|[xX]", re.ASCII)
_COMPACT = re.compile(r"^[0-9xX]{4}$")


def parse_tempo(value: object, explosive_s: float = DEFAULT_EXPLOSIVE_S) -> Tempo:
    """Read a tempo from a string ('2-1-1-1', '31X0') or a mapping of the four phases."""
    if isinstance(value, Mapping):
        return _from_mapping(value, explosive_s)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TempoError(f"a tempo must be text or a mapping, not {type(value).__name__}; {ACCEPTED_FORMS}")
    text = str(value).strip()
    if _COMPACT.match(text):
        parts = list(text)
    elif _DASHED.match(text):
        parts = _PART.findall(text)
    else:
        raise TempoError(f"cannot read tempo {text!r}; {ACCEPTED_FORMS}")
    return _build(dict(zip(REP_PHASES, parts)), explosive_s)


def _from_mapping(value: Mapping[object, object], explosive_s: float) -> Tempo:
    names = {p.value for p in REP_PHASES}
    unknown = sorted(str(k) for k in value if k not in names)
    missing = sorted(n for n in names if n not in value)
    if unknown or missing:
        problems = [f"unknown {', '.join(unknown)}" if unknown else "", f"missing {', '.join(missing)}" if missing else ""]
        raise TempoError(f"tempo mapping: {'; '.join(p for p in problems if p)}; {ACCEPTED_FORMS}")
    return _build({p: value[p.value] for p in REP_PHASES}, explosive_s)


def _build(parts: Mapping[Phase, object], explosive_s: float) -> Tempo:
    explosive = frozenset(p for p, v in parts.items() if isinstance(v, str) and v.strip().lower() == "x")
    durations = {p: explosive_s if p in explosive else _phase_seconds(p, v) for p, v in parts.items()}
    negative, bottom_hold, positive, top_hold = (seconds_to_ms(durations[p]) for p in REP_PHASES)
    tempo = Tempo(negative, bottom_hold, positive, top_hold, explosive=explosive)
    if tempo.rep_ms == 0:
        raise TempoError(f"tempo {tempo} adds up to zero seconds, so a rep would never advance")
    return tempo


def _phase_seconds(phase: Phase, value: object) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise TempoError(f"{phase.value}: {value!r} is not a number or 'X'; {ACCEPTED_FORMS}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TempoError(f"{phase.value}: expected seconds or 'X', got {type(value).__name__}")
    check_seconds(phase.value, float(value), MAX_PHASE_S)
    return float(value)


def check_seconds(what: str, seconds: float, maximum: float) -> None:
    """Reject NaN, infinities, negatives and anything above `maximum` seconds."""
    if not math.isfinite(seconds):
        raise TempoError(f"{what}: {seconds} is not a finite number of seconds")
    if not 0 <= seconds <= maximum:
        raise TempoError(f"{what}: {seconds:g} s is out of range (0 to {maximum:g} s)")
