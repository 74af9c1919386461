"""The worst preset files we can think of just under the 1 MB limit, and what `check` must say of each.

Used by tests/test_hostile_presets.py (each checks in under a second, with its expected line) and by
bench/check_speed.py (seconds and peak memory of each). Every file is legal YAML or close to it:
what makes it hostile is its size or its shape, not a syntax error early on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tempo_coach.presets.yaml_nodes import MAX_FILE_BYTES

TEMPO = "tempo: 2-1-1-1\n"
TEXT = "x" * 2000
CUES = ("general", "get_ready", "negative", "bottom_hold", "positive", "top_hold", "rest")


@dataclass(frozen=True)
class Worst:
    text: Callable[[], str]
    outcome: str
    """'ok', or the start of the one error line after 'PATH:'."""


def pad(text: str) -> str:
    """`text` with a final comment that brings it to just under MAX_FILE_BYTES."""
    room = MAX_FILE_BYTES - 1 - len(text.encode("utf-8")) - 2
    return text + "#" + "x" * room + "\n"


def fill(line: str, head: str = TEMPO, tail: str = "") -> str:
    """`head`, then `line` as many times as fits under MAX_FILE_BYTES, then `tail`."""
    count = (MAX_FILE_BYTES - 1 - len(head.encode()) - len(tail.encode())) // len(line.encode())
    return head + line * count + tail


def every_field_full() -> str:
    """A valid preset with every text at 2 000 characters and every list at 50 texts."""
    cues = "".join(f"  {cue}:\n" + f"    - {TEXT}\n" * 50 for cue in CUES)
    notes = ("  - |\n" + f"    {'y' * 79}\n" * 25) * 50
    return pad(f"{TEMPO}name: {TEXT}\nexercise: {TEXT}\ncues:\n{cues}notes:\n{notes}")


def escaped_texts() -> str:
    """Double-quoted texts of 2 000 characters written as escapes, six bytes a character."""
    text = '"' + "\\u00e9" * 2000 + '"'
    return pad(TEMPO + "cues:\n" + "".join(f"  {cue}: [{', '.join([text] * 11)}]\n" for cue in CUES))


WORST: dict[str, Worst] = {
    "every-field-full": Worst(every_field_full, "ok"),
    "escaped-texts": Worst(escaped_texts, "ok"),
    "comment-one-line": Worst(lambda: pad(TEMPO), "ok"),
    "blank-lines": Worst(lambda: fill("\n"), "ok"),
    "comment-lines": Worst(lambda: fill("#\n"), "ok"),
    "notes-block-list": Worst(lambda: fill("- a\n", TEMPO + "notes:\n"), "53:3: notes: more than 50 items in one list"),
    "notes-flow-list": Worst(lambda: fill("a,", TEMPO + "notes: [", "a]\n"), "2:109: notes: more than 50 items in one list"),
    "notes-nested-lists": Worst(lambda: fill("- [" + "a, " * 29 + "a]\n", TEMPO + "notes:\n"), "35:10: notes: more than 1,000 values in one file"),
    "keys": Worst(lambda: TEMPO + "".join(f"k{i}: 1\n" for i in range(80_000)), "51:1: preset: more than 50 keys in one mapping"),
    "name-plain": Worst(lambda: fill("a", TEMPO + "name: ", "\n"), "2:7: name: text is 999,977 characters; at most 2,000"),
    "name-plain-words": Worst(lambda: fill("a ", TEMPO + "name: ", "a\n"), "2:7: name: text is 999,977 characters"),
    "name-double-quoted-lines": Worst(lambda: fill("a\n", TEMPO + 'name: "', '"\n'), "2:7: name: text is 999,974 characters"),
    "name-block-literal": Worst(lambda: fill("  " + "a" * 77 + "\n", TEMPO + "name: |\n"), "2:7: name: text is 974,922 characters"),
    "name-escapes": Worst(lambda: fill("\\u00e9", TEMPO + 'name: "', '"\n'), "2:7: name: text is 166,662 characters"),
    "deep-flow": Worst(lambda: fill("[", TEMPO + "notes: "), "2:1007: YAML syntax: nested more than 8 levels deep"),
    "deep-block": Worst(lambda: fill("- ", TEMPO + "notes:\n  ", "x\n"), "3:17: notes: nested more than 8 levels deep"),
    "long-key": Worst(lambda: fill("k", TEMPO + "? ", "\n: 1\n"), "2:3: preset: unknown key 'kkkkkkkkk"),
    "long-tag": Worst(lambda: fill("a", TEMPO + "name: !<", "> x\n"), "2:7: tag 'aaaaaaaa"),
    "anchors": Worst(lambda: fill("- *a\n", TEMPO + "notes:\n- &a x\n"), "3:3: anchors and aliases"),
    "number-digits": Worst(lambda: fill("9", TEMPO + "sets: ", "\n"), "2:7: sets: '999999999999"),
    "number-sexagesimal": Worst(lambda: fill(":59", TEMPO + "rest: 1", "\n"), "2:7: rest: '1:59:59"),
    "tempo-digits": Worst(lambda: fill("9", "tempo: ", "-1-1-1\n"), "1:8: tempo.negative: 99999"),
    "tempo-mapping-hex": Worst(lambda: fill("f", "tempo: {negative: 0x", ", bottom_hold: 1, positive: 1, top_hold: 1}\n"), "1:19: tempo.negative: '0xffff"),
    "documents": Worst(lambda: fill("---\n", TEMPO), "2:1: expected a single document, but a second one starts here"),
}
