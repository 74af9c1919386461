"""The progress rule (core/progress.py): each branch of the documented rule, and what a session adds up to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tempo_coach.core.load import Load, Unit
from tempo_coach.core.progress import Figures, SetResult, figures, suggest

KG100 = Load(100.0, Unit.KG)


def sets(*reps: int, target: int | None = 12, load: Load | None = KG100, fallback: tuple[int | None, ...] = ()) -> list[SetResult]:
    """One session's working sets: `reps` done per set, the fallback's first rep per set (None: held)."""
    falls = fallback or (None,) * len(reps)
    return [SetResult(r, target, f, load) for r, f in zip(reps, falls)]


def test_no_history_is_a_start_with_no_load() -> None:
    assert suggest([], after_rep=8) == suggest([[SetResult(10, 12, warmup=True)]], after_rep=8)
    first = suggest([], after_rep=8)
    assert (first.load, first.change) == (None, "start")


def test_every_set_at_target_with_the_slow_positive_held_adds_one_increment() -> None:
    result = suggest([sets(12, 12, 12, fallback=(9, 10, None))], after_rep=8)
    assert (result.load, result.change) == (Load(102.5, Unit.KG), "add")
    assert result.reason == "Add 2.5 kg (102.5 kg): every set reached its 12 reps with the slow positive held to rep 8."


def test_the_presets_increment_and_the_loads_unit_are_used() -> None:
    result = suggest([sets(12, 12, load=Load(225.0, Unit.LB))], after_rep=None, increment=10)
    assert (result.load, result.change) == (Load(235.0, Unit.LB), "add")
    assert suggest([sets(12, 12, load=Load(225.0, Unit.LB))], after_rep=None).load == Load(230.0, Unit.LB)


def test_a_set_short_of_target_keeps_and_says_which() -> None:
    result = suggest([sets(12, 12, 10)], after_rep=8)
    assert (result.load, result.change) == (KG100, "keep")
    assert result.reason == "Keep 100 kg: set 3: 10 of 12 reps."


def test_the_slow_positive_breaking_before_after_rep_keeps() -> None:
    result = suggest([sets(12, 12, 12, fallback=(9, 7, None))], after_rep=8)
    assert (result.load, result.change) == (KG100, "keep")
    assert result.reason == "Keep 100 kg: set 2: slow positive held only to rep 6 (aim: 8)."


def test_without_an_auto_fallback_the_tempo_is_not_judged() -> None:
    assert suggest([sets(12, 12, fallback=(3, 2))], after_rep=None).change == "add"


def test_a_set_whose_target_is_below_after_rep_must_hold_the_whole_set() -> None:
    assert suggest([sets(6, 6, target=6)], after_rep=8).change == "add"
    held = suggest([sets(6, 6, target=6, fallback=(None, 4))], after_rep=8)
    assert held.reason == "Keep 100 kg: set 2: slow positive held only to rep 3 (aim: 6)."


def test_first_set_short_by_more_than_two_in_two_sessions_running_drops() -> None:
    result = suggest([sets(12, 12, 12), sets(9, 8, 8), sets(8, 8, 7)], after_rep=8)
    assert (result.load, result.change) == (Load(97.5, Unit.KG), "drop")
    assert result.reason == (
        "Drop 2.5 kg (97.5 kg): the first set was more than 2 reps short two sessions running (9 of 12, 8 of 12)."
    )


def test_short_once_or_by_only_two_keeps() -> None:
    assert suggest([sets(12, 12), sets(8, 8)], after_rep=None).change == "keep"  # once
    assert suggest([sets(10, 8), sets(10, 8)], after_rep=None).change == "keep"  # short by exactly two


def test_warmups_cut_short_and_zero_rep_sets_never_count() -> None:
    session = [
        SetResult(5, 5, None, Load(40.0, Unit.KG), warmup=True),  # a warm-up far short of 12
        *sets(12, 12),
        SetResult(3, 12, None, KG100, ended="cut short"),
        SetResult(0, 12, None, KG100),
    ]
    assert suggest([session], after_rep=8).change == "add"
    assert figures(session).volume == 2400.0
    assert figures(session).top_load == KG100


def test_a_session_of_only_uncounted_sets_is_skipped() -> None:
    only_cut = [SetResult(2, 12, None, KG100, ended="cut short")]
    assert suggest([sets(8, 8), only_cut, sets(9, 9)], after_rep=None).change == "drop"


def test_an_amrap_session_judges_its_first_set_against_after_rep_or_twelve() -> None:
    assert suggest([sets(9, 5, target=None)], after_rep=8).change == "add"  # goal: after_rep
    result = suggest([sets(11, 9, target=None)], after_rep=None)  # goal: 12
    assert result.reason == "Keep 100 kg: set 1: 11 of 12 reps."
    assert suggest([sets(12, 4, target=None)], after_rep=None).reason.startswith(
        "Add 2.5 kg (102.5 kg): the first set reached its amrap goal of 12 reps"
    )
    assert suggest([sets(8, 12, target=None), sets(9, 12, target=None)], after_rep=None).change == "drop"


def test_bodyweight_is_never_given_a_number() -> None:
    bodyweight = Load(0.0, Unit.KG, bodyweight=True)
    up = suggest([sets(12, 12, load=bodyweight)], after_rep=None)
    assert (up.load, up.change) == (bodyweight, "keep")
    assert up.reason == "Keep bodyweight, aim for one more rep a set: every set reached its 12 reps."
    down = suggest([sets(5, 5, load=bodyweight), sets(5, 5, load=bodyweight)], after_rep=None)
    assert (down.load, down.change) == (bodyweight, "keep")
    assert figures(sets(12, load=bodyweight)) == Figures(bodyweight, None, None)


def test_no_load_recorded_still_says_what_to_do() -> None:
    result = suggest([sets(12, 12, load=None)], after_rep=None)
    assert (result.load, result.change) == (None, "add")
    assert result.reason == "Add one increment: every set reached its 12 reps."


def test_the_heaviest_set_is_the_one_changed() -> None:
    session = [SetResult(12, 12, None, KG100), SetResult(12, 12, None, Load(105.0, Unit.KG)), SetResult(12, 12, None, Load(230.0, Unit.LB))]
    assert figures(session).top_load == Load(105.0, Unit.KG)  # 230 lb is 104.3 kg
    assert figures([*session, SetResult(12, 12, None, Load(235.0, Unit.LB))]).top_load == Load(235.0, Unit.LB)  # 106.6 kg
    bodyweight_plus = Load(40.0, Unit.KG, bodyweight=True)
    assert figures([SetResult(12, 12, None, bodyweight_plus), *session[:1]]).top_load == KG100  # a number on the bar first


def test_estimated_1rm_is_epley_from_the_best_set() -> None:
    session = [SetResult(12, 12, None, KG100), SetResult(3, 12, None, Load(130.0, Unit.KG))]
    assert figures(session) == Figures(Load(130.0, Unit.KG), 1590.0, 143.0)  # 130 × 1.1 beats 100 × 1.4


loads = st.builds(Load, st.floats(0, 500).map(lambda x: round(x, 1)), st.sampled_from(Unit), st.booleans())
set_results = st.builds(
    SetResult,
    st.integers(0, 30),
    st.one_of(st.none(), st.integers(1, 20)),
    st.one_of(st.none(), st.integers(1, 30)),
    loads,
    st.booleans(),
    st.sampled_from(["completed", "ended", "cut short"]),
)
histories = st.lists(st.lists(set_results, max_size=5), max_size=4)


@given(histories, st.one_of(st.none(), st.integers(1, 15)))
def test_the_load_moves_the_way_the_change_says(history: list[list[SetResult]], after_rep: int | None) -> None:
    result = suggest(history, after_rep)
    if result.change == "start":
        assert result.load is None and all(figures(h).top_load is None for h in history)
        return
    before = figures(next(h for h in reversed(history) if figures(h).top_load is not None)).top_load
    assert result.load is not None and before is not None and result.load.unit == before.unit
    if result.change == "drop":
        assert result.load.amount <= before.amount
    elif result.change == "add":
        assert result.load.amount > before.amount
    else:
        assert result.load == before
    assert result.reason.endswith(".") and "\n" not in result.reason


@given(histories)
def test_without_a_counted_set_nothing_is_suggested_but_a_start(history: list[list[SetResult]]) -> None:
    uncounted = [[SetResult(s.reps_done, s.reps_target, s.fallback_rep, s.load, warmup=True) for s in h] for h in history]
    assert suggest(uncounted, 8).change == "start"


def test_the_add_reason_names_the_aim_it_held_to_not_a_rep_past_the_set() -> None:
    short_sets = [[SetResult(6, 6, None, Load(100, Unit.KG))]]
    assert suggest(short_sets, after_rep=8).reason.endswith("every set reached its 6 reps with the slow positive held all the way.")
    long_sets = [[SetResult(12, 12, 9, Load(100, Unit.KG))]]
    assert suggest(long_sets, after_rep=8).reason.endswith("every set reached its 12 reps with the slow positive held to rep 8.")
