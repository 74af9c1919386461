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
