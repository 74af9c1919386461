"""Plain-text helpers shared by the command line and the screens."""

from tempo_coach.core.text import columns, plural


def test_plural() -> None:
    assert [plural(n, "set") for n in (0, 1, 2)] == ["0 sets", "1 set", "2 sets"]


def test_columns_align_left_or_right_and_trim_the_end() -> None:
    rows = [("NAME", "REPS", "NOTE"), ("leg-press", "12", ""), ("x", "3", "cut short")]
    assert columns(rows, right={1}) == [
        "NAME       REPS  NOTE",
        "leg-press    12",
        "x             3  cut short",
    ]
