"""Big glyphs: every character the coach shows is drawn in solid blocks, as big as fits, never past the box."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tempo_coach.core import glyphs
from tempo_coach.core.glyphs import BLOCKS, CHARSET, NATURAL, Rendered, Scale, render, size_at

WORDS = ["NEGATIVE", "BOTTOM HOLD", "POSITIVE", "TOP HOLD", "GET READY", "REST", "PAUSED", "DONE", "12", "7/12", "1:30", "0.5"]

texts = st.one_of(st.sampled_from(WORDS), st.text(alphabet=CHARSET, max_size=12))
sizes = st.integers(min_value=-2, max_value=220)


def key(r: Rendered) -> tuple[int, int]:
    """Glyph size, for comparing: plain text is smaller than any big text."""
    return (r.scale.tall, r.scale.wide) if r.scale else (0, 0)


def test_every_character_the_coach_shows_has_a_glyph() -> None:
    for ch in CHARSET + CHARSET.lower():
        rows = glyphs.glyph(ch)
        assert rows is not None, ch
        assert len(rows) == 5 and len({len(r) for r in rows}) == 1, ch
        assert set("".join(rows)) <= set(BLOCKS), ch
        assert ch == " " or "█" in "".join(rows), ch


def test_q_loses_only_its_tail_and_still_differs_from_o() -> None:
    assert glyphs.glyph("Q") != glyphs.glyph("O")
    assert "▄" in "".join(glyphs.glyph("Q") or ())


def test_slash_colon_and_dot_are_the_font_s_own() -> None:
    for ch in "/:.":
        assert glyphs.supports(ch)
    assert glyphs.glyph(":") == ("   ", "██ ", "   ", "██ ", "   ")


def test_a_character_without_a_glyph_falls_back_to_plain_text() -> None:
    assert not glyphs.supports("+")
    assert render("+5", 100, 30) == Rendered(("+5",), None)


def test_natural_size() -> None:
    assert size_at("12", NATURAL) == (11, 5)
    assert size_at("12", Scale(4, 2)) == (22, 10)
    assert size_at("12", Scale(5, 3)) == (33, 13)  # 25 half-rows: the last row half used
    assert size_at("BOTTOM\nHOLD", NATURAL) == (54, 11)


def test_a_100_by_14_box_draws_12_at_least_ten_rows_tall() -> None:
    r = render("12", 100, 14)
    assert r.big and r.height >= 10 and r.width <= 100


def test_bigger_terminals_draw_bigger_digits() -> None:
    assert render("12", 200, 28).height >= 2 * render("12", 100, 14).height - 1
    assert render("7/12", 200, 14).height >= 2 * render("7/12", 100, 7).height - 1


def test_a_phrase_too_wide_for_one_line_goes_onto_two() -> None:
    r = render("BOTTOM HOLD", 80, 12)
    assert r.scale == NATURAL and r.height == 11 and r.width == 54


def test_a_tiny_box_gets_one_plain_line_cut_to_its_width() -> None:
    assert render("12", 60, 2) == Rendered(("12",), None)
    assert render("GET READY", 60, 5) == Rendered(("GET READY",), None)
    assert render("GET READY", 5, 2) == Rendered(("GET …",), None)
    assert render("12", 1, 1) == Rendered(("1",), None)


def test_nothing_to_draw_in_an_empty_box_or_for_empty_text() -> None:
    assert render("12", 0, 10) == Rendered((), None)
    assert render("12", 10, -1) == Rendered((), None)
    assert render("   ", 100, 30) == Rendered((), None)


def test_the_smallest_big_letters_are_three_rows_of_half_blocks() -> None:
    r = render("12", 40, 3)
    assert r.scale == Scale(1, 1) and r.height == 3


def test_renders_are_cached() -> None:
    assert render("12", 200, 40) is render("12", 200, 40)


@given(texts, sizes, sizes)
def test_always_fits_the_box_in_equal_width_lines(text: str, width: int, height: int) -> None:
    r = render(text, width, height)
    assert r.height <= max(height, 0)
    assert all(len(line) == r.width <= max(width, 0) for line in r.lines)
    if r.big:
        assert set("".join(r.lines)) <= set(BLOCKS)  # solid blocks only: no letters made of ASCII
        assert not any(ch.isascii() and ch.isalnum() for line in r.lines for ch in line)
        assert r.height >= 3
    elif r.lines:
        assert r.height == 1


@given(st.text(max_size=20), sizes, sizes)
def test_any_text_at_all_never_raises(text: str, width: int, height: int) -> None:
    r = render(text, width, height)
    assert r.height <= max(height, 0) and r.width <= max(width, 0)


@given(texts, sizes, sizes, st.integers(0, 60), st.integers(0, 30))
def test_a_larger_box_never_draws_smaller_glyphs(text: str, width: int, height: int, more_w: int, more_h: int) -> None:
    assert key(render(text, width + more_w, height + more_h)) >= key(render(text, width, height))


@given(texts, sizes, sizes)
def test_one_line_renders_measure_what_size_at_says(text: str, width: int, height: int) -> None:
    r = render(text, width, height)
    if r.scale is not None and len(r.lines) == r.scale.rows(5):  # drawn on one line
        assert size_at(" ".join(text.split()), r.scale) == (r.width, r.height)


def test_the_font_in_use_is_the_best_one_installed() -> None:
    assert glyphs.FONT is not None and glyphs.FONT.name == glyphs.FONTS[0]


def test_without_the_contrib_font_figlet_s_own_block_font_covers_every_character() -> None:
    """A pyfiglet packaged without its contrib fonts (unclear licences) still draws big glyphs."""
    font = glyphs.load_font(("no-such-font", "block"))
    assert font is not None and font.name == "block"
    for ch in CHARSET:
        rows = font.rows(ch)
        assert rows is not None and set("".join(rows)) <= set(BLOCKS), ch
        inked = [i for i, row in enumerate(rows) if row.strip()]
        assert ch == " " or (inked and max(inked) - min(inked) <= 4), ch  # five rows, as the digits


def test_no_font_at_all_is_plain_text() -> None:
    assert glyphs.load_font(("no-such-font",)) is None


def test_the_fallback_font_draws_the_countdown_as_big(tmp_path) -> None:
    """The whole path with the contrib font missing (in a fresh interpreter: the font is read once)."""
    import subprocess
    import sys

    script = (
        "import pyfiglet\n"
        "real = pyfiglet.Figlet\n"
        "def figlet(font='standard', **kw):\n"
        "    if font == 'ansi_regular': raise pyfiglet.FontNotFound(font)\n"
        "    return real(font=font, **kw)\n"
        "pyfiglet.Figlet = figlet\n"
        "from tempo_coach.core import glyphs\n"
        "r = glyphs.render('12', 100, 14)\n"
        "print(glyphs.FONT.name, r.height, glyphs.render('7/12', 40, 7).height)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "block" and int(out[1]) >= 10 and int(out[2]) >= 5
