"""A string in block letters as big as the widget's own content region allows."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tempo_coach.core import glyphs
from tempo_coach.core.text import printable


class BigText(Widget):
    """Centred big text that fills the space the layout gives it (so give it a size: 1fr, %, rows).

    When big letters do not fit (a tiny terminal) it shows `plain` on one line instead: 'Rep 7/12'
    where the big text is '7/12'. The rows are built again only when the text, the size or the
    CSS colours change; `show` with the same text does nothing. Text is never parsed as markup.
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, text: str = "", *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = text
        self._plain = text
        self._drawn: tuple[tuple[str, str, Size, Style], list[Strip]] | None = None

    @property
    def text(self) -> str:
        """What is drawn big."""
        return self._text

    @property
    def plain(self) -> str:
        """What is shown on one line when big letters do not fit."""
        return self._plain

    @property
    def rendered(self) -> glyphs.Rendered:
        """The glyph lines for the current text and content size."""
        width, height = self.size
        rendered = glyphs.render(self._text, width, height)
        if rendered.big or self._plain == self._text:
            return rendered
        return glyphs.Rendered(glyphs.fit_line(printable(" ".join(self._plain.split())), width) if height else (), None)

    def show(self, text: str, plain: str | None = None) -> None:
        """Change the text (and its one-line form, by default the text); a repaint only on change."""
        plain = text if plain is None else plain
        if (text, plain) == (self._text, self._plain):
            return
        self._text, self._plain = text, plain
        self.refresh()

    def rows_style(self) -> Style:
        """The style of every row (letters and the space around them): the widget's own."""
        return self.visual_style.rich_style

    def render_line(self, y: int) -> Strip:
        """One content row; the strips are rebuilt only when the text, size or style changed."""
        size, style = self.size, self.rows_style()
        key = (self._text, self._plain, size, style)
        if self._drawn is None or self._drawn[0] != key:
            rendered = self.rendered
            top = (size.height - rendered.height) // 2
            left = (size.width - rendered.width) // 2
            blank = Strip.blank(size.width, style)
            strips = [blank] * size.height
            for n, line in enumerate(rendered.lines):
                # crop_extend counts terminal cells: a wide character in plain text cannot overflow
                strips[top + n] = Strip([Segment(" " * left + line, style)]).crop_extend(0, size.width, style)
            self._drawn = (key, strips)
        strips = self._drawn[1]
        return strips[y] if 0 <= y < len(strips) else Strip.blank(size.width, style)
