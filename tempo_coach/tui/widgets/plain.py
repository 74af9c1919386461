"""User text on screen: exactly as written, never Textual markup, never a raw control character."""

from __future__ import annotations

from rich.text import Text

from tempo_coach.core.text import printable


def plain(text: str, style: str = "") -> Text:
    """`text` as a literal `Text`: `[/b]` or `[@click=app.quit]` in a preset name or a path is shown,
    not parsed (parsing crashes a screen or makes a link), and control characters are shown escaped
    (`\\x1b`), so a file name cannot drive the terminal. Fit for a Static, a Label and a DataTable
    cell alike (a `str` cell would be read as markup)."""
    return Text(printable(text), style=style)
