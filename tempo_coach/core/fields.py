"""The error of one value the lifter typed, shared by every parser of typed values. Pure."""

from __future__ import annotations

from tempo_coach.core.text import excerpt


class FieldError(ValueError):
    """A value the lifter typed for one field is not usable. `str()` names the field (the start
    screen's message); `problem` alone is what argparse shows after 'argument --rest:'."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem if problem.startswith(field) else f"{field}: {problem}")
        self.field, self.problem = field, problem


def quoted(text: str) -> str:
    """A refused value as it is quoted back: cut short, so a 5 000-digit paste stays one short line."""
    return repr(excerpt(text, 20))
