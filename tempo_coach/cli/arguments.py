"""Typed command-line values: an argparse type from a field's parse function, shared by every command."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

from tempo_coach.core.fields import FieldError

T = TypeVar("T")


def field_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a field's parse function (the start screen's inputs use the same), so
    the flag and the field accept and refuse the same text with the same words."""

    def read(text: str) -> T:
        try:
            return parse(text)
        except FieldError as error:
            raise argparse.ArgumentTypeError(error.problem) from None

    read.__name__ = getattr(parse, "__name__", "value").removeprefix("parse_")  # argparse names it in its message
    return read
