"""What the lifter changes about a preset for one run (`--sets 4`, the start screen's Reps field).

One parse function per field, shared by the command line and the start screen's inputs, so both
accept and refuse exactly the same text with the same words; and one `Overrides.apply`, the only
place a preset is changed for a run. Pure.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from tempo_coach.core.model import MAX_GET_READY_S, MAX_REPS, MAX_REST_S, MAX_SETS, Preset
from tempo_coach.core.tempo import NEVER_ENDS, TempoError, parse_tempo, seconds_to_ms
from tempo_coach.core.fields import FieldError, quoted

AMRAP: Literal["amrap"] = "amrap"


_WHOLE = re.compile(r"-?[0-9]{1,12}")
_DECIMAL = re.compile(r"-?(?:[0-9]{1,12}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})")
"""ASCII digits only, and not too many: '²', '٣', '1_0', '1e1', 'nan' and 5 000-digit pastes are
refused here as in preset files."""


def _whole(text: str, field: str, lo: int, hi: int) -> int:
    stripped = text.strip()
    if not _WHOLE.fullmatch(stripped):
        raise FieldError(field, f"{quoted(text)} is not a whole number from {lo} to {hi}")
    value = int(stripped)
    if not lo <= value <= hi:
        raise FieldError(field, f"{field} must be {lo} to {hi}, got {value}")
    return value


def _plain_decimal(text: str, field: str, expected: str) -> float:
    """A plain decimal ('90', '2.5', '-5'); anything else is refused, naming what was `expected`."""
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped):
        raise FieldError(field, f"{quoted(text)} is not {expected}")
    return float(stripped)


def _seconds(text: str, field: str, hi: float) -> int:
    """Seconds from 0 to `hi` as plain decimals; returns whole milliseconds."""
    seconds = _plain_decimal(text, field, f"a number of seconds from 0 to {hi:g}")
    if not 0 <= seconds <= hi:
        raise FieldError(field, f"{field} must be 0 to {hi:g} seconds, got {text.strip()}")
    return seconds_to_ms(seconds)


def parse_sets(text: str) -> int:
    return _whole(text, "sets", 1, MAX_SETS)


def parse_reps(text: str) -> int | Literal["amrap"]:
    """Reps per set, or AMRAP (as many as possible: the lifter ends each set)."""
    if text.strip().lower() == AMRAP:
        return AMRAP
    try:
        return _whole(text, "reps", 1, MAX_REPS)
    except FieldError as error:
        raise FieldError("reps", f"{error.problem} (or amrap: as many as possible)") from None


def parse_rest(text: str) -> int:
    """Rest between sets, in ms."""
    return _seconds(text, "rest", MAX_REST_S)


def parse_rest_after(text: str) -> int:
    """A routine's rest before the next exercise, in ms: the same range as the rest between sets."""
    return _seconds(text, "rest_after", MAX_REST_S)


def parse_warmup_reps(text: str) -> int:
    """A warm-up set's reps: a number, never amrap (a warm-up stops well short of failure)."""
    return _whole(text, "reps", 1, MAX_REPS)


def parse_get_ready(text: str) -> int:
    """The countdown before each set, in ms."""
    return _seconds(text, "get-ready", MAX_GET_READY_S)


def parse_fallback_at(text: str) -> int:
    """The first rep that runs with the fallback."""
    return _whole(text, "fallback-at", 1, MAX_REPS)


MAX_AUDIO_OFFSET_MS = 1000.0


def check_audio_offset(ms: float, field: str) -> float:
    """An audio offset in ms, from 0 (wired sound) to MAX_AUDIO_OFFSET_MS (a slow Bluetooth
    speaker): the one range for the flag and config.yaml."""
    if not 0 <= ms <= MAX_AUDIO_OFFSET_MS:  # NaN fails both comparisons
        raise FieldError(field, f"{ms:g} is out of range (0 to {MAX_AUDIO_OFFSET_MS:g} ms)")
    return ms


def parse_audio_offset(text: str) -> float:
    """--audio-offset: milliseconds as a plain decimal."""
    expected = f"a number of milliseconds from 0 to {MAX_AUDIO_OFFSET_MS:g}"
    return check_audio_offset(_plain_decimal(text, "audio-offset", expected), "audio-offset")


def parse_tempo_text(text: str) -> str:
    """A tempo as typed ('2-1-1-1', '31X0'): checked now, applied with the preset's explosive time."""
    try:
        parse_tempo(text)
    except TempoError as error:
        raise FieldError("tempo", str(error)) from None
    return text


@dataclass(frozen=True)
class Overrides:
    """The fields the lifter set for this run; None leaves the preset's own."""

    sets: int | None = None
    reps: int | Literal["amrap"] | None = None
    rest_ms: int | None = None
    get_ready_ms: int | None = None
    tempo: str | None = None
    fallback_at: int | None = None

    def apply(self, preset: Preset) -> Preset:
        """`preset` with these changes; FieldError when the result cannot run."""
        changes: dict[str, object] = {}
        if self.sets is not None:
            changes["sets"] = self.sets
        if self.reps is not None:
            changes["reps"] = None if self.reps == AMRAP else self.reps
        if self.rest_ms is not None:
            changes["rest_ms"] = self.rest_ms
        if self.get_ready_ms is not None:
            changes["get_ready_ms"] = self.get_ready_ms
        if self.tempo is not None:
            changes["tempo"] = parse_tempo(self.tempo, preset.explosive_ms / 1000)
        if self.fallback_at is not None:
            if preset.fallback is None:
                raise FieldError("fallback-at", f"preset {preset.id!r} has no fallback to start at rep {self.fallback_at}")
            changes["fallback"] = dataclasses.replace(preset.fallback, after_rep=self.fallback_at - 1)
        changed = dataclasses.replace(preset, **changes)  # type: ignore[arg-type]
        zero = changed.zero_rep_tempo()
        if zero is not None:
            raise FieldError("tempo", f"tempo {changed.tempo} with {preset.id}'s fallback is {zero}, which {NEVER_ENDS}")
        return changed
