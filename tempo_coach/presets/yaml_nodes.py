"""YAML text -> nodes with marks, composed under limits; the one-line error of a preset or config file.

Pure apart from reading the file it is given. Every fault becomes one `PresetError` whose text is
`PATH:LINE:COL: message`, the line and column taken from the place at fault.

Speed: a file under MAX_FILE_BYTES must check in well under a second, however hostile. libyaml's
parser (PyYAML's C extension, when installed) turns the text into events ~100 times faster than the
pure-Python one, which stays as the fallback. The nodes are composed here, from those events, under
limits (MAX_DEPTH, MAX_ITEMS, MAX_NODES) checked as each event arrives: a list of 250 000 notes stops
at item 51, not after composing every item. Anchors, aliases, merge keys and any tag but plain data
are refused as they arrive too.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tempo_coach.core.text import excerpt, printable

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 8
"""Levels of nesting; a preset needs 4 (preset -> cues -> list of texts -> text)."""
MAX_ITEMS = 50
"""Items in one list, keys in one mapping: at most 50 texts a cue list or notes."""
MAX_NODES = 1000
"""Values in one file; a preset with every field and every list full has about 500."""
YAML = "tag:yaml.org,2002:"
STR, MERGE, VALUE = YAML + "str", YAML + "merge", YAML + "value"
SCALAR_TAGS = frozenset(YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS: dict[type[Node], str] = {SequenceNode: YAML + "seq", MappingNode: YAML + "map"}
_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML was built with it; tests swap in yaml.SafeLoader to check the fallback."""


class _Events(Protocol):
    """What the composer uses of a loader (PyYAML's own classes are untyped)."""

    def check_event(self, *choices: type[Event]) -> bool: ...

    def peek_event(self) -> Any: ...

    def get_event(self) -> Any: ...

    def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str: ...

    def dispose(self) -> None: ...


class PresetError(Exception):
    """A fault in a preset (or the config file), shown as `path:line:col: message`."""

    def __init__(self, path: Path | str, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.col, self.message = str(path), line, col, message

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.message}")


@dataclass(frozen=True)
class PresetWarning:
    """Not a fault, but something that will not do what it seems to say: `path:line:col: warning: ...`."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: warning: {self.message}")


def short_tag(tag: str) -> str:
    """'tag:yaml.org,2002:bool' -> '!!bool', as it is written in a file."""
    return excerpt("!!" + tag.removeprefix(YAML) if tag.startswith(YAML) else tag)


# ---- reading the file -------------------------------------------------------------------------


def read_text(path: Path, kind: str = "preset") -> str:
    """The file as UTF-8 text, refusing what is missing, not a regular file, huge or not UTF-8."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise PresetError(path, 1, 1, f"not a file but a folder; expected a {kind} file")
        if not stat.S_ISREG(mode):  # a FIFO or a device: never opened, a read could block or never end
            raise PresetError(path, 1, 1, f"not a file but a device, FIFO or socket; expected a {kind} file")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise PresetError(path, 1, 1, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        size = max(len(data), path.stat().st_size)
        raise PresetError(path, 1, 1, f"file is {size:,} bytes; a {kind} may be at most {MAX_FILE_BYTES:,}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = line_col(data[: error.start].decode("utf-8", "replace"), None)
        raise PresetError(path, line, col, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8") from None


def line_col(text: str, position: int | None) -> tuple[int, int]:
    """1-based line and column of `position` in `text` (of its end when None)."""
    before = text if position is None else text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


# ---- composing --------------------------------------------------------------------------------


def compose(text: str, path: Path, kind: str = "preset") -> Node | None:
    """The one YAML document in `text` as nodes (None when empty), refusing anything but plain data
    and anything over the limits. `kind` ('preset', 'config file') names the file in messages."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        raise PresetError(path, *line_col(text, bad.start()), _bad_character(bad.group()))
    loader = cast(_Events, _EventLoader(text))
    try:
        return _Composer(loader, path, kind).document()
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text, path) from None
    except yaml.YAMLError as error:
        raise PresetError(path, 1, 1, f"YAML: {excerpt(str(error), 200)}") from None
    except ValueError as error:  # the pure-Python scanner's int() of a %YAML 1.<5 000 digits>
        raise PresetError(path, 1, 1, f"YAML: cannot read the file: {excerpt(str(error), 80)}") from None
    finally:
        loader.dispose()


def _bad_character(char: str) -> str:
    if char == "\0":
        return "NUL character (U+0000) is not allowed; is the file UTF-16? save it as UTF-8"
    return f"character U+{ord(char):04X} is not allowed in YAML (control or special character)"


def _syntax_error(error: yaml.MarkedYAMLError, text: str, path: Path) -> PresetError:
    """One line from the parser's error: where it was found, plus where the unfinished part began."""
    mark, start = error.problem_mark or error.context_mark, error.context_mark
    message = " ".join(excerpt(str(part), 120) for part in (error.context, error.problem) if part)
    if str(error.context).startswith("while") and start and mark and start.line != mark.line:
        message += f" (it started at line {start.line + 1}, column {start.column + 1})"
    if mark and text[mark.index : mark.index + 1] == "\t":
        message += "; indent with spaces, not tabs"
    if "maximum nesting depth" in message:  # libyaml's own limit, met while it looks ahead
        message = f"nested more than {MAX_DEPTH} levels deep"
    if mark is None:
        return PresetError(path, 1, 1, f"YAML syntax: {message}")
    # libyaml puts the end of a text without a final newline on a line of its own: past the end
    line, col = line_col(text, None) if mark.index >= len(text) else (mark.line + 1, mark.column + 1)
    return PresetError(path, line, col, f"YAML syntax: {message}")


class _Composer:
    """Builds nodes from parser events, one event at a time, refusing what a preset cannot hold."""

    def __init__(self, loader: _Events, path: Path, kind: str) -> None:
        self.loader, self.path, self.kind = loader, path, kind
        self.count = 0

    def fail(self, event: Any, message: str) -> PresetError:
        return PresetError(self.path, event.start_mark.line + 1, event.start_mark.column + 1, message)

    def document(self) -> Node | None:
        self.loader.get_event()  # stream start
        if self.loader.check_event(StreamEndEvent):
            return None
        self.loader.get_event()  # document start
        root = self.node(1, self.kind)
        self.loader.get_event()  # document end
        if not self.loader.check_event(StreamEndEvent):
            raise self.fail(self.loader.peek_event(), f"expected a single document, but a second one starts here; a {self.kind} is one YAML document")
        return root

    def node(self, depth: int, where: str, is_key: bool = False) -> Node:
        event = self.loader.peek_event()
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise self.fail(event, f"anchors and aliases (&, *) are not supported in a {self.kind}")
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(event, f"{where}: more than {MAX_NODES:,} values in one file; a {self.kind} needs far fewer")
        if depth > MAX_DEPTH:
            raise self.fail(event, f"{where}: nested more than {MAX_DEPTH} levels deep; a {self.kind} needs at most 4")
        if isinstance(event, ScalarEvent):
            return self.scalar(event, where, is_key)
        if isinstance(event, SequenceStartEvent):
            return self.sequence(event, depth, where)
        return self.mapping(event, depth, where)

    def scalar(self, event: Any, where: str, is_key: bool) -> ScalarNode:
        self.loader.get_event()
        tag = self.tag(event, ScalarNode, where)
        if tag == MERGE and is_key:
            raise self.fail(event, f"merge keys (<<) are not supported in a {self.kind}")
        if tag in (MERGE, VALUE):  # '<<' and '=' where they are plain text
            tag = STR
        return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)

    def sequence(self, event: Any, depth: int, where: str) -> SequenceNode:
        self.loader.get_event()
        node = SequenceNode(self.tag(event, SequenceNode, where), [], event.start_mark, None, flow_style=event.flow_style)
        while not self.loader.check_event(SequenceEndEvent):
            self.check_room(node, where, "items in one list")
            node.value.append(self.node(depth + 1, where))
        node.end_mark = self.loader.get_event().end_mark
        return node

    def mapping(self, event: Any, depth: int, where: str) -> MappingNode:
        self.loader.get_event()
        node = MappingNode(self.tag(event, MappingNode, where), [], event.start_mark, None, flow_style=event.flow_style)
        while not self.loader.check_event(MappingEndEvent):
            self.check_room(node, where, "keys in one mapping")
            key = self.node(depth + 1, where, is_key=True)
            inner = excerpt(key.value) if isinstance(key, ScalarNode) else "?"
            node.value.append((key, self.node(depth + 1, inner if depth == 1 else f"{where}.{inner}")))
        node.end_mark = self.loader.get_event().end_mark
        return node

    def check_room(self, node: SequenceNode | MappingNode, where: str, what: str) -> None:
        if len(node.value) == MAX_ITEMS:
            raise self.fail(self.loader.peek_event(), f"{where}: more than {MAX_ITEMS} {what}; a {self.kind} needs at most {MAX_ITEMS}")

    def tag(self, event: Any, kind: type[Node], where: str) -> str:
        """The node's tag, explicit or resolved; only the tags of plain data, and only on their kind of node."""
        explicit = event.tag
        if explicit is None or explicit == "!":
            value = event.value if isinstance(event, ScalarEvent) else None
            return self.loader.resolve(kind, value, event.implicit)
        allowed = SCALAR_TAGS if kind is ScalarNode else {_COLLECTION_TAGS[kind]}
        if explicit in allowed:
            return str(explicit)
        if explicit in SCALAR_TAGS or explicit in _COLLECTION_TAGS.values():
            shape = "text or a number" if kind is ScalarNode else "a list" if kind is SequenceNode else "a mapping"
            raise self.fail(event, f"{where}: tag {short_tag(explicit)!r} cannot be put on {shape}")
        raise self.fail(event, f"tag {short_tag(explicit)!r} is not allowed in a {self.kind}")
