"""The plan: repeating a set's rows gives exactly what the engine gives when run in full."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.engine import Workout
from tempo_coach.core.model import Fallback, Lasts, Preset
from tempo_coach.core.plan import Row, _rows, timeline
from tempo_coach.core.tempo import Phase, Tempo

MS = st.integers(0, 3000)


@st.composite
def presets(draw: st.DrawFn) -> Preset:
    tempo = Tempo(draw(MS), draw(MS), draw(st.integers(1, 3000)), draw(MS))
    fallback = None
    if draw(st.booleans()):
        after = draw(st.one_of(st.none(), st.integers(1, 6)))
        fallback = Fallback({Phase.POSITIVE: draw(st.integers(1, 3000))}, after, draw(st.sampled_from(list(Lasts))))
    return Preset(
        id="p",
        tempo=tempo,
        sets=draw(st.integers(1, 7)),
        reps=draw(st.integers(1, 6)),
        rest_ms=draw(st.integers(0, 5000)),
        get_ready_ms=draw(st.integers(0, 5000)),
        fallback=fallback,
        get_ready_after_rest=draw(st.booleans()),
    )


def rounded(rows: list[Row]) -> list[Row]:
    return [row._replace(t=round(row.t, 6), duration=round(row.duration, 6)) for row in rows]


@settings(max_examples=300, deadline=None)
@given(presets())
def test_the_plan_is_the_engine_run_in_full(preset: Preset) -> None:
    assert rounded(list(timeline(preset))) == rounded(list(_rows(Workout(preset))))


def test_a_long_plan_repeats_the_first_set_and_ends_with_the_last() -> None:
    preset = Preset(id="p", tempo=Tempo(2000, 1000, 2000, 1000), sets=4, reps=2, rest_ms=10_000, get_ready_ms=5000)
    rows = list(timeline(preset))
    assert [row.set for row in rows if row.phase is Phase.GET_READY] == [1]  # the rest counts down to the set
    assert rows[-1] == Row(5 + 4 * 11 + 3 * 10, Phase.DONE, None, None, 0.0, "p")  # a set of 2 reps: 6 + 5 s
    assert sum(1 for row in rows if row.phase is Phase.REST) == 3
    with pytest.raises(StopIteration):
        next(row for row in rows if row.set == 5)
