"""The start screen's fields: what each one takes, and how the fields make a preset. Each is read by
the same parse function as its command-line flag, so both accept and refuse the same text."""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator

from tempo_coach.core.fields import FieldError
from tempo_coach.core.model import Preset
from tempo_coach.core.overrides import Overrides, parse_reps, parse_rest, parse_sets, parse_tempo_text


class FieldValidator(Validator):
    """A start-screen input checked by the same parse function as its command-line flag."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except FieldError as error:
            return self.failure(str(error))
        return self.success()


FIELDS: tuple[tuple[str, str, Callable[[str], object], str, int], ...] = (
    ("sets", "Sets", parse_sets, r"[0-9]*", 2),
    ("reps", "Reps", parse_reps, r"[0-9]*|(?i:a(m(r(a(p)?)?)?)?)", 5),
    ("rest", "Rest s", parse_rest, r"[0-9]*\.?[0-9]*", 6),
    ("tempo", "Tempo", parse_tempo_text, r"[^a-wyzA-WYZ]*", 24),
)
"""Each preset field: id, label, the parse function its command-line flag uses too, the characters
it takes (no letters but amrap's and X: `q` and `h` are never typed into one), and its length."""
LOAD_CHARACTERS = r"(?i:[0-9 .+\-bodyweightkl]*)"
"""The load field takes digits, signs and the letters of kg, lb, bw and bodyweight (never a q)."""


def typed_preset(preset: Preset, values: dict[str, str]) -> Preset:
    """`preset` with the fields' `values` by id (a tempo as the preset's own text is left as it is:
    a mapping tempo stays a mapping). Raises FieldError naming the first bad field."""
    tempo = parse_tempo_text(values["tempo"]) if values["tempo"].strip() != str(preset.tempo) else None
    typed = Overrides(sets=parse_sets(values["sets"]), reps=parse_reps(values["reps"]), rest_ms=parse_rest(values["rest"]), tempo=tempo)
    return typed.apply(preset)
