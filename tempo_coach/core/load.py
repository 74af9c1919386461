"""The weight on the bar: a number with a unit, or bodyweight plus or minus one. Pure.

One parser (`parse_load`) for the command line (`--load 100`), the start and rest screens' load
field and the YAML `load:` keys, so all of them accept and refuse the same text with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from tempo_coach.core.fields import FieldError, quoted


class Unit(str, Enum):
    KG = "kg"
    LB = "lb"


UNITS = tuple(unit.value for unit in Unit)
DEFAULT_INCREMENT = {Unit.KG: 2.5, Unit.LB: 5.0}
"""How much one press of the load keys adds: the smallest pair of plates most gyms have."""
MAX_LOAD = 2000.0
"""More than any lift on record, in either unit: a larger number is a typo."""
MAX_INCREMENT = 100.0
"""The most one press of the load keys may add (a preset's `increment:`)."""


@dataclass(frozen=True)
class Load:
    """`amount` in `unit`; with `bodyweight`, the lifter's own weight plus `amount` (which may be
    negative: an assisted pull-up). Volume and estimated 1RM need a number, so bodyweight loads
    have neither (`on_bar` is None)."""

    amount: float
    unit: Unit
    bodyweight: bool = False

    def __str__(self) -> str:
        if not self.bodyweight:
            return f"{_number(self.amount)} {self.unit.value}"
        if self.amount == 0:
            return "bodyweight"
        sign = "+" if self.amount > 0 else "-"
        return f"bodyweight {sign} {_number(abs(self.amount))} {self.unit.value}"

    @property
    def on_bar(self) -> float | None:
        """The number that volume and 1RM are counted in; None for bodyweight."""
        return None if self.bodyweight else self.amount

    def stepped(self, steps: int, increment: float) -> Load:
        """This load `steps` increments heavier (negative: lighter), never below nothing on the bar."""
        amount = round(self.amount + steps * increment, 3)
        low = -MAX_LOAD if self.bodyweight else 0.0
        return replace(self, amount=min(MAX_LOAD, max(low, amount)))


def increment_for(unit: Unit, increment: float | None = None) -> float:
    """The preset's own increment, or the unit's default."""
    return DEFAULT_INCREMENT[unit] if increment is None else increment


def _number(amount: float) -> str:
    """'100', '102.5', '0.25': no trailing zeros, no exponent."""
    return f"{amount:.3f}".rstrip("0").rstrip(".")


_BODYWEIGHT = re.compile(r"(?:bw|bodyweight)\s*(?:([+-])\s*(.*))?", re.IGNORECASE)
_AMOUNT = re.compile(r"([0-9]{1,6}(?:\.[0-9]{1,3})?|\.[0-9]{1,3})\s*([a-zA-Z]*)")


def parse_load(text: str, unit: Unit) -> Load:
    """'100', '100 kg', '225lb', 'bw', 'bodyweight', 'bw+10', 'bw - 20 kg'. A unit written in the
    text wins over `unit` (the exercise's or config.yaml's)."""
    stripped = text.strip()
    bodyweight = _BODYWEIGHT.fullmatch(stripped)
    if bodyweight is not None:
        sign, rest = bodyweight.groups()
        if sign is None:
            return Load(0.0, unit, bodyweight=True)
        added = _amount(rest, unit, text)
        return replace(added, amount=added.amount if sign == "+" else -added.amount, bodyweight=True)
    return _amount(stripped, unit, text)


def _amount(text: str, unit: Unit, whole: str) -> Load:
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        raise FieldError("load", f"{quoted(whole)} is not a load: a number (100, 102.5 kg, 225 lb) or bw, bw+10, bw-20")
    number, written_unit = match.groups()
    if written_unit and written_unit.lower() not in UNITS:
        raise FieldError("load", f"unit {quoted(written_unit)} is not kg or lb")
    amount = float(number)
    if amount > MAX_LOAD:
        raise FieldError("load", f"load must be 0 to {MAX_LOAD:g}, got {number}")
    return Load(amount, Unit(written_unit.lower()) if written_unit else unit)


def parse_unit(text: str) -> Unit:
    try:
        return Unit(text.strip().lower())
    except ValueError:
        raise FieldError("unit", f"{quoted(text.strip())} is not a unit: kg or lb") from None
