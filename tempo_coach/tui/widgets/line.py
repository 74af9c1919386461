"""A one-line label that ignores updates to the text it already shows."""

from __future__ import annotations

from textual.widgets import Static

from tempo_coach.core.text import printable


class Line(Static):
    """Static with `show(text)`: a repaint only when the text differs, and a layout pass only when
    its height is auto (a wrapping cue). A one-line label changing costs a repaint of that line.

    Its text is the lifter's (preset names, cues, file names): never markup, control characters
    shown escaped."""

    DEFAULT_CSS = """
    Line { height: 1; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(printable(text), id=id, classes=classes, markup=False)
        self._text = text

    def show(self, text: str) -> None:
        if text != self._text:
            self._text = text
            height = self.styles.height
            self.update(printable(text), layout=height is None or height.is_auto)
