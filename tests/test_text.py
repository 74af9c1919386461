"""Plain-text helpers shared by the command line and the screens."""

from tempo_coach.core.text import columns, plural, printable


def test_plural() -> None:
    assert [plural(n, "set") for n in (0, 1, 2)] == ["0 sets", "1 set", "2 sets"]


def test_columns_align_left_or_right_and_trim_the_end() -> None:
    rows = [("NAME", "REPS", "NOTE"), ("leg-press", "12", ""), ("x", "3", "cut short")]
    assert columns(rows, right={1}) == [
        "NAME       REPS  NOTE",
        "leg-press    12",
        "x             3  cut short",
    ]


def test_printable_escapes_c0_c1_and_del_and_keeps_other_text() -> None:
    assert printable("leg press é ✓") == "leg press é ✓"
    assert printable("a\x1b]2;title\x07b") == "a\\x1b]2;title\\x07b"
    assert printable("\x9b2J\x7f\n") == "\\x9b2J\\x7f\\n"
