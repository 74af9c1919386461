"""A one-line label that ignores updates to the text it already shows."""

from __future__ import annotations

from textual.widgets import Static


class Line(Static):
    """Static with `show(text)`: a repaint only when the text differs."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(text, id=id, classes=classes, markup=False)
        self._text = text

    def show(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update(text)
