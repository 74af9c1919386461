"""Big block-letter text that fills a box, for reading the coach from two metres.

The letters come from pyfiglet's "ansi_regular" FIGlet font: glyphs five cells
tall drawn in █ (a few, like Q, with ▀ ▄ too), strokes two columns wide. It reads
best at two metres, but it is one of pyfiglet's "contrib" fonts, from the TheDraw
collection, with no author or licence named; a packager may leave it out. Then the
FIGlet distribution's own "block" font is used (Glenn Chappell, 1993: its header
gives permission to modify it, and FIGlet is BSD-licensed): its pixels are drawn
`_|`, and every inked character becomes █, so it draws in the same solid blocks. Each font
cell is read as two pixels, its top and bottom halves. To scale, each font row
becomes `tall` half-rows and each font column `wide` columns, and the pixels are
drawn back with █ ▀ ▄. Half-rows let the height grow in half-cell steps
(3, 5, 8, 10, 13, 15 ... rows); `wide` stays within half a step of `tall / 2`,
the font's own proportions, so letters are never stretched much either way.

Only the five rows that digits ink are kept: Q's tail, which hangs in the font's
descender row, is cut (Q keeps its inner stroke, so it still differs from O).

The font file is read once, at import. Should neither font be installed,
`render` still works and returns the text as one plain line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import pyfiglet

FONTS: Final = ("ansi_regular", "block")
"""The fonts tried, best first: the first one pyfiglet has is used (see the module docstring)."""
SOLID_FONTS: Final = frozenset({"block"})
"""Fonts drawn in ASCII strokes (`_|`): every inked character is read as a full block."""
CHARSET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ /:."
"""The characters the coach shows big: every one of them has a glyph (tests/test_glyphs.py)."""

BLOCKS: Final = "█▀▄ "
"""Every character a big rendering is made of."""

_TOP: Final = {"█": 1, "▀": 1}
_BOTTOM: Final = {"█": 1, "▄": 1}
_HALF: Final = {(1, 1): "█", (1, 0): "▀", (0, 1): "▄", (0, 0): " "}


@dataclass(frozen=True)
class Font:
    """A FIGlet font that draws in solid blocks."""

    name: str
    figlet: pyfiglet.Figlet

    def rows(self, ch: str) -> tuple[str, ...] | None:
        """The font's rows for one character, or None when it has none drawn in BLOCKS alone."""
        rows = self.figlet.renderText(ch).splitlines()
        if self.name in SOLID_FONTS:
            rows = [re.sub(r"\S", "█", row) for row in rows]
        if not rows or any(c not in BLOCKS for row in rows for c in row):
            return None
        return tuple(rows)


def load_font(names: tuple[str, ...] = FONTS) -> Font | None:
    """The first of `names` that the installed pyfiglet has; None if it has none of them."""
    for name in names:
        try:
            return Font(name, pyfiglet.Figlet(font=name, width=10_000))
        except (pyfiglet.FigletError, OSError):
            continue
    return None


FONT: Final = load_font()
"""The font in use (None: plain text only)."""


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a font cell is drawn: `tall` half-rows by `wide` columns (natural: 2 by 1)."""

    tall: int
    wide: int

    def rows(self, font_rows: int) -> int:
        """Cell rows taken by `font_rows` font rows (the last cell may be half used)."""
        return (font_rows * self.tall + 1) // 2

    @property
    def gap(self) -> int:
        """Blank rows between two lines of big text: one font row, rounded up."""
        return (self.tall + 1) // 2


NATURAL: Final = Scale(2, 1)


@dataclass(frozen=True, slots=True)
class Rendered:
    """What `render` drew: equal-width lines, and the scale used (None: plain one-line text)."""

    lines: tuple[str, ...]
    scale: Scale | None

    @property
    def width(self) -> int:
        return len(self.lines[0]) if self.lines else 0

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def big(self) -> bool:
        return self.scale is not None


@lru_cache(maxsize=256)
def _raw(ch: str) -> tuple[str, ...] | None:
    """The font's rows for one character, or None when it has none drawn in BLOCKS alone."""
    return FONT.rows(ch) if FONT is not None else None


@lru_cache(maxsize=1)
def _font_rows() -> range:
    """The rows the digits ink: the cap height. The font's descender rows below are dropped."""
    inked = [i for ch in "0123456789" for i, row in enumerate(_raw(ch) or ()) if row.strip()]
    return range(min(inked), max(inked) + 1) if inked else range(0)


@lru_cache(maxsize=256)
def glyph(ch: str) -> tuple[str, ...] | None:
    """One character's rows (in BLOCKS, case ignored, descenders cut), or None if the font has none."""
    rows, keep = _raw(ch.upper()), _font_rows()
    if rows is None or not keep or len(rows) < keep.stop:
        return None
    return tuple(rows[i] for i in keep)


@lru_cache(maxsize=128)
def _line(text: str) -> tuple[str, ...] | None:
    """A line's font rows at natural size, blank columns at both ends trimmed."""
    glyphs = [glyph(ch) for ch in text]
    if not glyphs or any(g is None for g in glyphs):
        return None
    rows = ["".join(g[i] for g in glyphs if g is not None) for i in range(len(_font_rows()))]
    left = min((len(r) - len(r.lstrip()) for r in rows if r.strip()), default=0)
    right = max((len(r.rstrip()) for r in rows), default=0)
    return tuple(r[left:right] for r in rows)


def _pixels(rows: tuple[str, ...], shift: int) -> list[int]:
    """Two pixel rows (top and bottom halves) per font row, as bit masks; bit i is column i + shift."""
    masks: list[int] = []
    for row in rows:
        for half in (_TOP, _BOTTOM):
            masks.append(sum(half.get(ch, 0) << i for i, ch in enumerate(row)) << shift)
    return masks


def supports(text: str) -> bool:
    """Whether every character of `text` (case ignored) has a big glyph."""
    return all(glyph(ch) is not None for ch in text)


def size_at(text: str, scale: Scale) -> tuple[int, int]:
    """(width, height) in cells of `text` drawn at `scale`; a newline starts another line.

    Raises ValueError if a character has no glyph (see `supports`).
    """
    lines = [_line(line.upper()) for line in text.split("\n")]
    widths = [len(rows[0]) if rows else 0 for rows in lines if rows is not None]
    if len(widths) < len(lines):
        raise ValueError(f"no big glyph for a character of {text!r}")
    height = len(lines) * scale.rows(len(_font_rows())) + (len(lines) - 1) * scale.gap
    return max(widths) * scale.wide, height


def _largest(layout: str, width: int, height: int) -> Scale | None:
    """The largest scale at which `layout` fits width × height, or None if even the smallest does not."""
    if not supports(layout.replace("\n", "")):
        return None
    natural_width, _ = size_at(layout, Scale(1, 1))
    font_rows, lines = len(_font_rows()), layout.count("\n") + 1
    for tall in range(2 * height // max(font_rows, 1), 0, -1):
        scale = Scale(tall, 1)
        if lines * scale.rows(font_rows) + (lines - 1) * scale.gap > height:
            continue
        wide = min((tall + 1) // 2, width // max(natural_width, 1))
        if wide >= max(1, tall // 2):
            return Scale(tall, wide)
    return None


def _layouts(text: str) -> list[str]:
    """The text on one line, and split at its most central space onto two."""
    layouts = [text]
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if spaces:
        cut = min(spaces, key=lambda i: abs(len(text) - 2 * i))
        layouts.append(text[:cut] + "\n" + text[cut + 1 :])
    return layouts


def _draw(layout: str, scale: Scale) -> tuple[str, ...]:
    """Draw `layout` (already checked to fit) at `scale`, each line centred on the widest."""
    lines = [rows for rows in map(_line, layout.split("\n")) if rows is not None]
    natural = max(len(rows[0]) for rows in lines)
    font_rows = len(_font_rows())
    table = str.maketrans({ch: ch * scale.wide for ch in BLOCKS})
    drawn: dict[tuple[int, int], str] = {}
    out: list[str] = []

    def sample(pixels: list[int], half_row: int) -> int:
        """The pixels one output half-row shows: those its span covers, OR-ed (or the nearest one)."""
        if half_row >= font_rows * scale.tall:
            return 0
        first = 2 * half_row // scale.tall
        last = max(first + 1, 2 * (half_row + 1) // scale.tall)
        mask = 0
        for row in pixels[first:last]:
            mask |= row
        return mask

    for n, rows in enumerate(lines):
        pixels = _pixels(rows, (natural - len(rows[0])) // 2)
        if n:
            out.extend([" " * (natural * scale.wide)] * scale.gap)
        for y in range(scale.rows(font_rows)):
            halves = sample(pixels, 2 * y), sample(pixels, 2 * y + 1)
            if halves not in drawn:
                top, bottom = halves
                row = "".join(_HALF[top >> i & 1, bottom >> i & 1] for i in range(natural))
                drawn[halves] = row.translate(table)
            out.append(drawn[halves])
    return tuple(out)


def fit_line(text: str, width: int) -> tuple[str, ...]:
    """`text` as one plain line cut with … to `width` characters (no line at all for width 0)."""
    if width <= 0:
        return ()
    if len(text) <= width:
        return (text,)
    return (text[: width - 1] + "…",) if width > 1 else (text[:width],)


@lru_cache(maxsize=64)
def render(text: str, width: int, height: int) -> Rendered:
    """`text` in the largest block letters that fit width × height cells; never raises.

    Whitespace is collapsed and letters are upper-cased. A text with a space may
    be split onto two lines when that draws it bigger. When even the smallest big
    letters (3 rows) do not fit, or a character has no glyph, the text comes back
    as one plain line, cut with … to the width (counted in characters).
    """
    width, height = max(width, 0), max(height, 0)
    clean = " ".join(text.upper().split())
    if not clean or not width or not height:
        return Rendered((), None)
    best: tuple[str, Scale] | None = None
    for layout in _layouts(clean):
        scale = _largest(layout, width, height)
        if scale is not None and (best is None or (scale.tall, scale.wide) > (best[1].tall, best[1].wide)):
            best = (layout, scale)
    if best is None:
        return Rendered(fit_line(clean, width), None)
    return Rendered(_draw(*best), best[1])
