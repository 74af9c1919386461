"""Plain text shared by the command line and the screens. Pure."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def plural(count: int, noun: str) -> str:
    """plural(1, 'rep') -> '1 rep', plural(3, 'set') -> '3 sets'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def columns(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    """Rows of cells as aligned lines, two spaces between columns; the columns in `right` are
    right-aligned. Trailing spaces are trimmed."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in rows
    ]


def is_control(char: str) -> bool:
    """C0 and C1 control characters and DEL: what a terminal may act on instead of showing."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _unprintable(char: str) -> bool:
    """A control character, or a lone surrogate: an undecodable byte of a file name (0x9b, the 8-bit
    CSI, read as U+DC9B) that would go out raw, or fail the whole output in a strict UTF-8 locale."""
    return is_control(char) or 0xD800 <= ord(char) <= 0xDFFF


def printable(text: str) -> str:
    """`text` safe to print to a terminal: every control character (C0, C1, DEL) is shown as an
    escape (`\\x1b`, `\\x9b`), so a file name can neither clear the screen nor retitle the pane;
    a file name's undecodable bytes too (`\\udc9b`). Tabs and newlines are escaped too: one value,
    one line."""
    if not any(_unprintable(c) for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if _unprintable(c) else c for c in text)


def excerpt(text: str, limit: int = 40) -> str:
    """`text` cut to its first `limit` characters plus '…' when longer: a message quotes what was
    written, but a 5 000-digit value must not become a 5 KB error line."""
    return text if len(text) <= limit else text[:limit] + "…"
