"""Tempo notation: every accepted form, every rejection showing the accepted forms, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.tempo import ACCEPTED_FORMS, Phase, Tempo, TempoError, parse_tempo


def ms(tempo: Tempo) -> tuple[int, int, int, int]:
    return (tempo.negative_ms, tempo.bottom_hold_ms, tempo.positive_ms, tempo.top_hold_ms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2-1-1-1", (2000, 1000, 1000, 1000)),
        ("2-1-2-1", (2000, 1000, 2000, 1000)),
        ("2.5-0.5-1-0", (2500, 500, 1000, 0)),
        (".5-0-1-0", (500, 0, 1000, 0)),
        ("2 - 1 - 1 - 1", (2000, 1000, 1000, 1000)),
        ("  3-0-1-1  ", (3000, 0, 1000, 1000)),
        ("3-1-X-0", (3000, 1000, 500, 0)),
        ("3-1-x-0", (3000, 1000, 500, 0)),
        ("31X0", (3000, 1000, 500, 0)),
        ("31x0", (3000, 1000, 500, 0)),
        ("4010", (4000, 0, 1000, 0)),
        ("0.125-0-0-0", (125, 0, 0, 0)),
        ("60-60-60-60", (60000, 60000, 60000, 60000)),
    ],
)
def test_accepted_text_forms(text: str, expected: tuple[int, int, int, int]) -> None:
    assert ms(parse_tempo(text)) == expected


def test_compact_form_as_yaml_writes_it() -> None:
    """The loader passes the text as written (YAML's integer 2111 comes as '2111')."""
    assert ms(parse_tempo("2111")) == (2000, 1000, 1000, 1000)


def test_mapping_form() -> None:
    tempo = parse_tempo({"negative": 3, "bottom_hold": 0.5, "positive": "X", "top_hold": "0"})
    assert ms(tempo) == (3000, 500, 500, 0)
    assert tempo.explosive == frozenset({Phase.POSITIVE})


def test_explosive_marks_the_phase_and_its_duration_is_configurable() -> None:
    tempo = parse_tempo("3-1-X-0", explosive_s=1.25)
    assert tempo.positive_ms == 1250
    assert tempo.explosive == frozenset({Phase.POSITIVE})
    assert str(tempo) == "3-1-X-0"
    assert parse_tempo("XXXX", explosive_s=0.2).rep_ms == 800


@pytest.mark.parametrize(
    "bad",
    ["abc", "2--1-1", "2-1-1-", "-2-1-1-1", "2/1/1/1", "2,1,1,1", "31Y0", "", "   ", "2-1-1-1\n2\n3-1"],
)
def test_rejections_show_the_accepted_forms(bad: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(bad)
    assert ACCEPTED_FORMS in str(caught.value)
    assert f"cannot read tempo {bad.strip()!r}" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("bad", "found"), [("2-1", 2), ("2-1-1", 3), ("2-1-1-1-1", 5), ("2.5-1-1", 3), ("311", 3), ("31X00", 5), ("2", 1)]
)
def test_a_wrong_number_of_phases_is_counted(bad: str, found: int) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(bad)
    assert f"cannot read tempo {bad!r}: a tempo has four phases (negative-bottom_hold-positive-top_hold), found {found}; accepted forms" in str(caught.value)


@pytest.mark.parametrize(("dash", "name"), [("\u2013", "en dash"), ("\u2014", "em dash"), ("\u2212", "minus sign"), ("\u2010", "hyphen")])
def test_a_pasted_dash_is_named(dash: str, name: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(dash.join("2111"))
    assert f"use '-' (hyphen), not '{dash}' ({name})" in str(caught.value)


@pytest.mark.parametrize(
    ("bad", "phrase"),
    [
        ("2-1-1-1s", "top_hold: '1s' is not a number of seconds or 'X'"),
        ("2.-1-1-1", "negative: '2.' is not a number of seconds or 'X'"),
        ("\u0662-1-1-1", "negative: '\u0662' is not a number of seconds or 'X' (use the digits 0-9, not '\u0662', arabic-indic digit two)"),
    ],
)
def test_a_bad_phase_is_named(bad: str, phrase: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(bad)
    assert phrase in str(caught.value) and ACCEPTED_FORMS in str(caught.value)


NOT_A_PHASE = ["1e1", "1_0", "0x1", "inf", "nan", ".inf", ".5e1", "1:30", "+1", "\u0662", "\uff12", "1 0", "½"]


@pytest.mark.parametrize("written", NOT_A_PHASE)
def test_one_grammar_for_the_dashed_and_the_mapping_form(written: str) -> None:
    """What the dashed form refuses, the mapping form refuses too, with the same message."""
    with pytest.raises(TempoError) as dashed:
        parse_tempo(f"2-1-{written}-1")
    with pytest.raises(TempoError) as mapped:
        parse_tempo({"negative": "2", "bottom_hold": "1", "positive": written, "top_hold": "1"})
    assert str(dashed.value) == str(mapped.value)
    assert str(mapped.value).startswith(f"positive: {written!r} is not a number of seconds or 'X'")


def test_a_5000_digit_phase_is_out_of_range_and_not_echoed() -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo({"negative": "9" * 5000, "bottom_hold": "1", "positive": "1", "top_hold": "1"})
    assert str(caught.value) == f"negative: {'9' * 40}… s is out of range (0 to 60 s)"


@pytest.mark.parametrize("bad", [None, True, 2111, 2.5, [2, 1, 1, 1], object()])
def test_other_types_are_refused(bad: object) -> None:
    with pytest.raises(TempoError, match="a tempo must be text or a mapping"):
        parse_tempo(bad)


@pytest.mark.parametrize(
    ("mapping", "phrase"),
    [
        ({"negative": 2, "bottom_hold": 1, "positive": 1}, "missing top_hold"),
        ({"negative": 2, "bottom_hold": 1, "positive": 1, "top_hold": 1, "pause": 1}, "unknown pause"),
        ({"negative": "two", "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: 'two' is not a number of seconds or 'X'"),
        ({"negative": [2], "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: expected seconds or 'X', got list"),
        ({"negative": True, "bottom_hold": 1, "positive": 1, "top_hold": 1}, "got bool"),
        ({"negative": -1, "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: -1 s is out of range (0 to 60 s)"),
    ],
)
def test_bad_mappings(mapping: dict[str, object], phrase: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(mapping)
    assert phrase in str(caught.value)


@pytest.mark.parametrize("zero", ["0-0-0-0", "0000", {"negative": 0, "bottom_hold": 0, "positive": 0, "top_hold": 0}])
def test_a_tempo_adding_up_to_zero_is_an_error(zero: object) -> None:
    with pytest.raises(TempoError, match="adds up to zero seconds, so a rep would never advance"):
        parse_tempo(zero)


@pytest.mark.parametrize(
    ("bad", "phrase"),
    [
        ("2-1-61-1", "positive: 61 s is out of range (0 to 60 s)"),
        ("60.001-0-0-0", "negative: 60.001 s is out of range"),
        ({"negative": float("inf"), "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: 'inf' is not a number"),
        ({"negative": "nan", "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: 'nan' is not a number"),
        ({"negative": "1000000000", "bottom_hold": 1, "positive": 1, "top_hold": 1}, "negative: 1000000000 s is out of range"),
    ],
)
def test_each_phase_is_at_most_60_seconds_and_finite(bad: object, phrase: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(bad)
    assert phrase in str(caught.value)


def test_the_zero_sum_check_uses_the_explosive_duration() -> None:
    assert parse_tempo("0-0-X-0", explosive_s=0.05).rep_ms == 50


# Durations a lifter can write: whole milliseconds from 0 to 60 s.
durations_ms = st.integers(min_value=0, max_value=60_000)


def _seconds_text(value_ms: int) -> str:
    return f"{value_ms / 1000:.3f}".rstrip("0").rstrip(".")


@settings(max_examples=300, deadline=None)
@given(st.lists(durations_ms, min_size=4, max_size=4).filter(any), st.sampled_from(["-", " - ", "- ", " -"]))
def test_dashed_durations_parse_back_to_the_same_milliseconds(parts: list[int], dash: str) -> None:
    tempo = parse_tempo(dash.join(_seconds_text(p) for p in parts))
    assert list(ms(tempo)) == parts
    assert tempo.rep_ms == sum(parts)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(durations_ms, st.just("X")), min_size=4, max_size=4),
    st.integers(min_value=50, max_value=5000),
)
def test_str_round_trips(parts: list[int | str], explosive_ms: int) -> None:
    text = "-".join(p if isinstance(p, str) else _seconds_text(p) for p in parts)
    if all(p == 0 for p in parts):
        return
    tempo = parse_tempo(text, explosive_s=explosive_ms / 1000)
    again = parse_tempo(str(tempo), explosive_s=explosive_ms / 1000)
    assert again == tempo
    assert str(again) == str(tempo)


def test_str_is_the_dashed_form() -> None:
    assert str(parse_tempo("31X0")) == "3-1-X-0"
    assert str(parse_tempo({"negative": 2.5, "bottom_hold": 0, "positive": 1, "top_hold": 0.25})) == "2.5-0-1-0.25"


def test_with_durations_overrides_and_clears_explosive() -> None:
    tempo = parse_tempo("3-1-X-0").with_durations({Phase.POSITIVE: 2000})
    assert ms(tempo) == (3000, 1000, 2000, 0)
    assert tempo.explosive == frozenset()


def test_every_unicode_dash_and_the_minus_sign_is_named() -> None:
    import unicodedata

    dashes = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Pd" and c != ord("-")] + ["\u2212"]
    for dash in dashes:
        with pytest.raises(TempoError, match=f"not '{dash}' \\({unicodedata.name(dash).lower()}\\)"):
            parse_tempo(dash.join("2111"))
