"""Tempo notation: "2-1-1-1", "2.5-0.5-1-0", "31X0" or a mapping -> Tempo. Pure.

Durations are kept as whole milliseconds so that adding up thousands of phases is exact:
a timeline built from them never drifts, whatever the float rounding of seconds would do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from tempo_coach.core.text import excerpt

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
_DURATION_FIELD = {phase: f"{phase.value}_ms" for phase in REP_PHASES}

ACCEPTED_FORMS = (
    "accepted forms: '2-1-1-1', '2.5-0.5-1-0', 'X' for explosive ('3-1-X-0'), "
    "compact '31X0', or a mapping {negative, bottom_hold, positive, top_hold}"
)


NEVER_ENDS = "adds up to zero seconds, so a rep would never advance"
"""What is said of a tempo whose rep adds up to zero (`Tempo.never_ends`), wherever it is found."""


class TempoError(ValueError):
    """A tempo that cannot be read; the message says why and shows the accepted forms. `phase` is
    the phase at fault, if it is one phase: its `reason` is then the message without the phase."""

    def __init__(self, reason: str, phase: Phase | None = None) -> None:
        super().__init__(f"{phase.value}: {reason}" if phase else reason)
        self.reason, self.phase = reason, phase


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
        duration: int = getattr(self, _DURATION_FIELD[phase])
        return duration

    @property
    def rep_ms(self) -> int:
        return sum(self.duration_ms(p) for p in REP_PHASES)

    @property
    def never_ends(self) -> bool:
        """A rep of this tempo adds up to zero seconds: it could never advance, so it may not run."""
        return self.rep_ms == 0

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


_SECONDS = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\Z")
"""The one grammar of a phase's seconds, whatever form the tempo takes: ASCII digits with an optional
decimal part. Not '1e1', '1_0', '0x1', 'inf', 'nan' or Arabic-Indic digits, even where YAML reads
them as numbers: what the dashed form refuses, the mapping form refuses too."""
_PHASE_LIKE = re.compile(r"[0-9.xX]+\Z")
_COMPACT_LIKE = re.compile(r"[0-9xX]+\Z")
_BLANKS = " \t"
_DASHES = re.compile("[\u058a\u05be\u1400\u1806\u2010-\u2015\u2212\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead]")
"""Every dash but the hyphen-minus (Unicode's Pd), and the minus sign: '–' pasted from a web page."""
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")
"""A decimal digit of another script: '٢', '２'."""
FOUR_PHASES = "a tempo has four phases (negative-bottom_hold-positive-top_hold)"


def parse_tempo(value: object, explosive_s: float = DEFAULT_EXPLOSIVE_S) -> Tempo:
    """Read a tempo from text ('2-1-1-1', '31X0') or a mapping of the four phases. A YAML loader
    passes the text as written (`2111`, not the integer YAML reads), so one grammar reads every form."""
    if isinstance(value, Mapping):
        written = _mapping_parts(value)
    elif isinstance(value, str):
        written = dict(zip(REP_PHASES, _split(value)))
    else:
        raise TempoError(f"a tempo must be text or a mapping, not {type(value).__name__}; {ACCEPTED_FORMS}")
    seconds = {phase: parse_phase(phase, text) for phase, text in written.items()}
    negative, bottom_hold, positive, top_hold = (seconds_to_ms(explosive_s if s is None else s) for s in seconds.values())
    explosive = frozenset(phase for phase, s in seconds.items() if s is None)
    tempo = Tempo(negative, bottom_hold, positive, top_hold, explosive=explosive)
    if tempo.never_ends:
        raise TempoError(f"tempo {tempo} {NEVER_ENDS}")
    return tempo


def parse_phase(phase: Phase, written: str) -> float | None:
    """Seconds of one phase as written ('2', '2.5', '.5'), or None for 'X' (explosive)."""
    text = written.strip(_BLANKS)
    return None if text in ("x", "X") else parse_seconds(phase, text, or_x=True)


def parse_seconds(phase: Phase, written: str, or_x: bool = False) -> float:
    """Seconds as written for `phase`: the one grammar, 0 to MAX_PHASE_S. With `or_x` the message
    says 'X' would do too."""
    text = written.strip(_BLANKS)
    if not _SECONDS.match(text.removeprefix("-")):
        expected, forms = ("a number of seconds or 'X'", f"; {ACCEPTED_FORMS}") if or_x else ("a number of seconds", "")
        raise TempoError(f"{excerpt(text)!r} is not {expected}{_digit_hint(text)}{forms}", phase)
    seconds = float(text)  # 5 000 digits are inf here: out of range below, never an exception
    if not 0 <= seconds <= MAX_PHASE_S:
        raise TempoError(f"{excerpt(text)} s is out of range (0 to {MAX_PHASE_S:g} s)", phase)
    return seconds


def _split(written: str) -> list[str]:
    """The four phases of the dashed or compact form, or a TempoError saying what is wrong with it."""
    text = written.strip(_BLANKS)
    cannot = f"cannot read tempo {excerpt(text)!r}"
    if _COMPACT_LIKE.match(text) and len(text) == 4:
        return list(text)
    dash = _DASHES.search(text)
    if dash:
        raise TempoError(f"{cannot}: use '-' (hyphen), not {dash.group()!r} ({unicodedata.name(dash.group()).lower()}); {ACCEPTED_FORMS}")
    parts = text.split("-")
    if _COMPACT_LIKE.match(text):
        raise TempoError(f"{cannot}: {FOUR_PHASES}, found {len(text)}; {ACCEPTED_FORMS}")
    if len(parts) != 4 and all(_PHASE_LIKE.match(p.strip(_BLANKS)) for p in parts):
        raise TempoError(f"{cannot}: {FOUR_PHASES}, found {len(parts)}; {ACCEPTED_FORMS}")
    if len(parts) != 4 or not all(p.strip(_BLANKS) for p in parts):
        raise TempoError(f"{cannot}; {ACCEPTED_FORMS}")
    return parts


def _digit_hint(text: str) -> str:
    """Why a phase that looks like a number is not one: digits from another script."""
    foreign = _FOREIGN_DIGIT.search(text)
    if foreign is None:
        return ""
    return f" (use the digits 0-9, not {foreign.group()!r}, {unicodedata.name(foreign.group(), 'a digit').lower()})"


def _mapping_parts(value: Mapping[object, object]) -> dict[Phase, str]:
    names = {p.value for p in REP_PHASES}
    unknown = sorted(excerpt(str(k)) for k in value if k not in names)
    missing = sorted(n for n in names if n not in value)
    if unknown or missing:
        problems = [f"unknown {', '.join(unknown)}" if unknown else "", f"missing {', '.join(missing)}" if missing else ""]
        raise TempoError(f"tempo mapping: {'; '.join(p for p in problems if p)}; {ACCEPTED_FORMS}")
    return {phase: _phase_text(phase, value[phase.value]) for phase in REP_PHASES}


def _phase_text(phase: Phase, value: object) -> str:
    """A mapping's phase as text for `parse_phase`: numbers given by Python callers are written out."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TempoError(f"expected seconds or 'X', got {type(value).__name__}", phase)
