"""YAML nodes -> checked values (text, numbers, booleans, mappings), each fault a PresetError at its node.

Values are checked on the node before they are built: a text's length first; a number's length
before Python turns 5 000 digits into an int (an OverflowError, or the int-digits limit, echoing the
digits back); an explicit tag's value against the pattern of its tag (`!!bool maybe`, `!!int ""`)
before PyYAML's constructor meets it.

Characters: control characters (C0, DEL and C1, which YAML lets through as escapes such as "\\e" or
"\\x85") are refused in every text and key, at the character's line and column when it is written
raw, else at the text. A line break is allowed only in texts that may span lines (notes); a tab in
none (screens and terminals show it differently). Textual markup such as '[b]' is plain text here.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from tempo_coach.core.fields import FieldError
from tempo_coach.core.text import excerpt
from tempo_coach.presets.yaml_nodes import YAML, PresetError, PresetWarning, line_col, short_tag

MAX_TEXT_CHARS = 2000
MAX_NUMBER_CHARS = 32
"""Longer numbers are refused before they are read; a preset's largest sensible number has 6 characters."""
_INT, _FLOAT = YAML + "int", YAML + "float"
WRITTEN_TAGS = frozenset((YAML + "str", _INT, _FLOAT))
"""The scalars whose text, as written, goes to a grammar of its own (`NodeReader.written`)."""
T = TypeVar("T")
_PATTERNS = {tag: pattern for resolvers in Resolver.yaml_implicit_resolvers.values() for tag, pattern in resolvers}
"""What each plain-data tag's values look like: an explicit tag's value must look like that too."""
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_KINDS = {
    bool: "a boolean (true/false)",
    int: "an integer",
    float: "a number",
    str: "text",
    type(None): "nothing (null)",
    datetime.date: "a date",
    datetime.datetime: "a date and time",
}


@dataclass(frozen=True)
class _Structure:
    """Stands in for a mapping or list where a single value was expected, so type errors read well."""

    kind: str


def _kind(value: object) -> str:
    if isinstance(value, _Structure):
        return value.kind
    return _KINDS.get(type(value), type(value).__name__)


def found(value: object) -> str:
    """What was found, for a message: "text 'three'", 'a number 8.5', 'a list'."""
    if isinstance(value, (_Structure, type(None), bool)):
        return _kind(value)
    return f"{_kind(value)} {repr(excerpt(value)) if isinstance(value, str) else excerpt(str(value))}"


def mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class NodeReader:
    """Turns YAML nodes into checked values, raising PresetError at the node at fault; `source` is the
    text the nodes were composed from (for the position of a bad character)."""

    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source
        self.warnings: list[PresetWarning] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: Node, message: str) -> PresetError:
        return PresetError(self.path, *mark(node), message)

    def warn(self, node: Node, message: str) -> None:
        self.warnings.append(PresetWarning(str(self.path), *mark(node), message))

    # -- structure

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        """A mapping's value nodes by key; duplicate or unknown keys are errors."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what}: expected a mapping of {', '.join(allowed)}, got {self.describe(node, what)}")
        found_keys: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, what)
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what}: keys must be text, got {found(key)}")
            self.check_characters(key_node, what, key)
            if key in found_keys:
                raise self.fail(key_node, f"{what}: duplicate key {excerpt(key)!r} (first given on line {first_line[key]})")
            if key not in allowed:
                raise self.fail(key_node, f"{what}: unknown key {excerpt(key)!r}{_did_you_mean(key, allowed)}")
            found_keys[key], first_line[key] = value_node, mark(key_node)[0]
        return found_keys

    def describe(self, node: Node, what: str) -> str:
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        return _kind(self.scalar(node, what))

    def scalar(self, node: Node, what: str) -> object:
        """A scalar's value; a mapping or list comes back as a `_Structure` naming what it is."""
        if not isinstance(node, ScalarNode):
            return _Structure(self.describe(node, what))
        written = node.value
        if node.tag in (_INT, _FLOAT) and len(written) > MAX_NUMBER_CHARS:
            raise self.fail(node, f"{what}: {excerpt(written)!r} is too long for a number ({len(written):,} characters; at most {MAX_NUMBER_CHARS})")
        self.check_tag(node, what)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            raise self.fail(node, f"{what}: cannot read {excerpt(written)!r}: {excerpt(str(error), 80)}") from None

    def check_tag(self, node: ScalarNode, what: str) -> None:
        """An explicit tag's value must look like the tag's values (`!!bool maybe` does not)."""
        pattern = _PATTERNS.get(node.tag)
        if pattern and not pattern.match(node.value) and not (node.tag == _FLOAT and _PATTERNS[_INT].match(node.value)):
            raise self.fail(node, f"{what}: {excerpt(node.value)!r} is not a valid {short_tag(node.tag)} value")

    # -- typed values

    def text(self, node: Node, what: str, lines: bool = False) -> str:
        """Text of at most MAX_TEXT_CHARS, stripped; one line unless `lines`."""
        if isinstance(node, ScalarNode) and len(node.value) > MAX_TEXT_CHARS:
            raise self.fail(node, f"{what}: text is {len(node.value):,} characters; at most {MAX_TEXT_CHARS:,}")
        value = self.scalar(node, what)
        if not isinstance(value, str):
            hint = f" (quote it: '{excerpt(node.value)}')" if isinstance(node, ScalarNode) and node.value else ""
            raise self.fail(node, f"{what}: expected text, got {_kind(value)}{hint}")
        value = value.strip()
        self.check_characters(node, what, value, lines)
        return value

    def texts(self, node: Node, what: str, lines: bool = False) -> tuple[str, ...]:
        """Text, or a list of texts (at most MAX_ITEMS: the composer stops longer lists)."""
        if isinstance(node, SequenceNode):
            return tuple(self.text(item, what, lines) for item in node.value)
        return (self.text(node, what, lines),)

    def check_characters(self, node: Node, what: str, value: str, lines: bool = False) -> None:
        """Refuse control characters (and a line break unless `lines`) at the character's place."""
        bad = (_LINES if lines else _ONE_LINE).search(value)
        if bad is None:
            return
        char, shown = bad.group(), repr(excerpt(value))
        if char == "\n":
            message = f"a line break in {shown} is not allowed here; write it on one line"
        elif "\ud800" <= char <= "\udfff":
            message = f"a lone surrogate {char!r} in {shown} is not a valid character"
        else:
            message = f"{unicodedata.name(char, 'control character').lower()} {char!r} (U+{ord(char):04X}) in {shown} is not allowed"
        at = self.source.find(char, node.start_mark.index, node.end_mark.index) if char != "\n" else -1
        place = line_col(self.source, at) if at >= 0 else mark(node)
        raise PresetError(self.path, *place, f"{what}: {message}")

    def written(self, node: Node, what: str, expected: str) -> str:
        """A scalar's text as written, if it holds text or a number (not a list, null or date), for a
        grammar of its own (a tempo's phase, a load): YAML's reading of `1_0` or `.inf` plays no part,
        and 5 000 hex digits get the grammar's message."""
        if isinstance(node, ScalarNode) and node.tag in WRITTEN_TAGS:
            self.check_tag(node, what)
            return str(node.value)
        raise self.fail(node, f"{what}: expected {expected}, got {found(self.scalar(node, what))}")

    def parsed(self, node: Node, what: str, parse: Callable[[str], T], expected: str) -> T:
        """A value read by the parser the command line and the screens use for it (`core.overrides`,
        `core.load`), from its text as written: the same text is accepted or refused with the same
        words everywhere. Its FieldError becomes a PresetError at the node."""
        try:
            return parse(self.written(node, what, expected))
        except FieldError as error:
            raise self.fail(node, str(error) if error.field == what else f"{what}: {error.problem}") from None

    def number(self, node: Node, what: str) -> float:
        value = self.scalar(node, what)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, f"{what}: expected a number, got {found(value)}")
        if not math.isfinite(value):
            raise self.fail(node, f"{what}: {value} is not a finite number")
        return float(value)

    def seconds(self, node: Node, what: str, maximum: float, minimum: float = 0.0) -> float:
        value = self.number(node, what)
        if not minimum <= value <= maximum:
            raise self.fail(node, f"{what}: {value:g} s is out of range ({minimum:g} to {maximum:g} s)")
        return value

    def integer(self, node: Node, what: str, minimum: int, maximum: int) -> int:
        value = self.scalar(node, what)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(node, f"{what}: expected a whole number, got {found(value)}")
        if not minimum <= value <= maximum:
            raise self.fail(node, f"{what}: {value} is out of range ({minimum} to {maximum})")
        return value

    def boolean(self, node: Node, what: str) -> bool:
        value = self.scalar(node, what)
        if not isinstance(value, bool):
            raise self.fail(node, f"{what}: expected true or false, got {found(value)}")
        return value


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    """The closest allowed key, or the two closest when they are equally close ('rets': sets or rest)."""
    close = difflib.get_close_matches(key, allowed, n=2, cutoff=0.6) if len(key) <= 40 else []
    if not close:
        return f"; expected one of: {', '.join(allowed)}"
    ratios = [difflib.SequenceMatcher(None, key, match).ratio() for match in close]
    if len(close) == 2 and ratios[0] == ratios[1]:
        return f"; did you mean {close[0]!r} or {close[1]!r}?"
    return f"; did you mean {close[0]!r}?"
