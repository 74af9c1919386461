"""The start screen's keys never surprise: one Tab to a field, Esc out of it, q never typed, the
details follow the fields, an error names its field, and a burst of keys starts what it shows."""

from __future__ import annotations

from pathlib import Path

from app_driver import build_app
from progress_history import Row, weeks
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tempo_coach import paths
from tempo_coach.core.fields import FieldError
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.plan import routine_seconds
from tempo_coach.core.progress import Suggestion
from tempo_coach.history.at_start import Past
from tempo_coach.core.overrides import parse_tempo_text
from tempo_coach.presets import catalog
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.start import StartScreen


def start_app() -> TempoCoachApp:
    return build_app(["--mute"])


def burst(app: TempoCoachApp, *keys: str) -> None:
    """Keys as a fast typist (or a paste into the terminal) sends them: all queued at once, none
    handled before the next arrives (pilot.press waits for each)."""
    assert app._driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        app._driver.send_message(events.Key(key, character))


def paste(app: TempoCoachApp, text: str) -> None:
    assert app._driver is not None
    app._driver.send_message(events.Paste(text))


def field(app: TempoCoachApp, name: str) -> Input:
    return app.screen.query_one(f"#{name}", Input)


def details(app: TempoCoachApp) -> str:
    return str(app.screen.query_one("#details").content)


def error_line(app: TempoCoachApp) -> str:
    return str(app.screen.query_one("#field-error").content)


async def test_the_fields_are_one_tab_from_the_list_and_esc_leaves_them() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("tab")
        assert app.focused is field(app, "sets")
        await pilot.press("escape")
        assert isinstance(app.focused, OptionList)
        assert isinstance(app.screen, StartScreen)


async def test_q_is_never_typed_into_a_field_and_does_not_quit_from_one() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for name in ("sets", "reps", "rest", "tempo"):
            field(app, name).focus()
            before = field(app, name).value
            await pilot.press("end", "q")
            assert field(app, name).value == before, name
            assert app.is_running and isinstance(app.screen, StartScreen)


async def test_the_footer_offers_esc_in_a_field_and_quit_outside_it() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.check_action("leave_field", ()) is False
        assert app.screen.check_action("quit", ()) is True
        await pilot.press("tab")
        assert app.screen.check_action("leave_field", ()) is True
        assert app.screen.check_action("quit", ()) is False


async def test_the_details_follow_the_fields() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "2-1-2-1 · 3×12" in details(app)
        field(app, "sets").focus()
        await pilot.press("ctrl+a", "ctrl+k", "5", "tab", "ctrl+a", "ctrl+k", "8")
        await pilot.pause()
        assert "2-1-2-1 · 5×8" in details(app)
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k", *"3-1-X-0")
        await pilot.pause()
        assert "3-1-X-0 · 5×8" in details(app)


async def test_an_error_names_its_field_and_a_bad_tempo_says_what_is_wrong() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        field(app, "sets").focus()
        await pilot.press("ctrl+a", "ctrl+k", "0")
        await pilot.pause()
        assert error_line(app).startswith("sets")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.session is None
        await pilot.press("ctrl+a", "ctrl+k", "3")
        field(app, "tempo").focus()
        await pilot.press("ctrl+a", "ctrl+k")
        paste(app, "2–1–1–1")  # en dashes, as pasted from a web page
        await pilot.pause()
        try:
            parse_tempo_text("2–1–1–1")
        except FieldError as error:
            expected = str(error)
        assert error_line(app) == expected and expected.startswith("tempo:")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.session is None


async def test_a_burst_down_and_enter_starts_the_preset_it_highlights() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        presets = app.screen.query_one(OptionList)
        following = presets.get_option_at_index(presets.highlighted + 1).id
        burst(app, "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert app.preset.id == following


async def test_a_burst_of_typing_then_enter_starts_with_the_numbers_typed() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, "tab", "ctrl+a", "ctrl+k", "2", "tab", "ctrl+a", "ctrl+k", "5", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert (app.preset.sets, app.preset.reps) == (2, 5)


async def test_a_burst_typed_into_a_field_then_enter_starts_with_what_was_typed() -> None:
    """Enter was a priority key: it ran start before the field had taken the keys typed before it."""
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        field(app, "reps").focus()
        await pilot.pause()
        burst(app, "end", "backspace", "backspace", "7", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert app.preset.reps == 7


async def test_a_burst_that_picks_another_preset_starts_with_its_own_numbers() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        presets = app.screen.query_one(OptionList)
        following = catalog.find(str(presets.get_option_at_index(presets.highlighted + 1).id))
        burst(app, "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        started = app.preset
        assert (started.id, started.sets, started.reps, started.rest_ms) == (following.id, following.sets, following.reps, following.rest_ms)


async def test_the_palette_offers_each_screens_own_actions() -> None:
    """The palette listed the workout's actions and nothing for the start or history screens."""
    from tempo_coach.tui.screens.history import HistoryScreen

    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Start", "History", "Click test", "Help"):
            assert title in titles
        assert titles.count("Quit") == 1 and "Focus Next" not in titles
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Back" in titles and "Reload" in titles and "Start" not in titles


# ---- routines, the load and the history (issue 10) ---------------------------------------------


def user_file(name: str, text: str) -> None:
    folder = paths.user_presets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def option_text(app: TempoCoachApp, option_id: str) -> str:
    options = app.screen.query_one(OptionList)
    return str(options.get_option(option_id).prompt)


async def highlight(pilot: Pilot[int], option_id: str) -> None:
    """Move the list's cursor with the arrow keys to `option_id`, as a lifter would."""
    options = pilot.app.screen.query_one(OptionList)
    target = options.get_option_index(option_id)
    if pilot.app.focused is not options:
        await pilot.press("escape")
    while options.highlighted != target:
        await pilot.press("down" if (options.highlighted or 0) < target else "up")
    await pilot.pause()


async def history_read(pilot: Pilot[int]) -> None:
    """Wait for the start screen's history worker, then for its message."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def past_line(app: TempoCoachApp) -> str:
    past = app.screen.query_one("#past")
    return str(past.content) if past.display else ""


async def test_routines_are_listed_apart_with_their_exercises_and_total_time() -> None:
    user_file("open-day.yaml", "name: Open day\nexercises:\n  - preset: push-up\n  - preset: leg-press\n")
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        heading = ids.index("routines-heading")
        assert options.get_option("routines-heading").disabled
        assert all(not str(i).startswith("routine/") for i in ids[:heading])
        assert {"routine/leg-day", "routine/open-day"} <= set(ids[heading + 1 :])
        minutes = round(routine_seconds(catalog.find_routine("leg-day")) / 60)
        assert f"Leg day · 3 exercises · {minutes} min" in option_text(app, "routine/leg-day")
        assert "Open day · 2 exercises · time depends on amrap sets" in option_text(app, "routine/open-day")


async def test_a_routines_details_show_its_exercises_in_order_and_the_preset_fields_go() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "routine/leg-day")
        text = details(app)
        order = [text.index(f"{n}. {name}") for n, name in ((1, "Leg press"), (2, "Romanian deadlift"), (3, "Goblet squat"))]
        assert order == sorted(order)
        assert "warm-up: 12 @ 40 kg, 8 @ 70 kg" in text and "then 180 s before the next exercise" in text
        assert "3×10" in text.split("3. ")[1]  # the routine's reps, not the preset's
        assert not field(app, "sets").display and field(app, "load").display
        await pilot.press("tab")
        assert app.focused is field(app, "load")  # the hidden fields take no Tab
        await highlight(pilot, "routine/squat-push-superset")
        assert "superset, sets alternate, rest 120 s after each round" in details(app)
        await highlight(pilot, "leg-press")
        assert field(app, "sets").display


async def test_enter_on_a_routine_starts_its_first_set_with_the_load_typed() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "routine/leg-day")
        burst(app, "w", "1", "0", "0", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert app.training.routine == "leg-day" and app.training.index == 0
        view = app.session.view() if app.session else None
        assert view is not None and view.plan.label == "Warm-up 1/2" and view.plan.exercise == "Leg press"
        working = [plan for plan in app.training.plans() if not plan.warmup]
        assert {str(plan.load) for plan in working} == {"100 kg"}


async def test_a_double_enter_on_a_routine_starts_it_once() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "routine/leg-day")
        burst(app, "enter", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen) and app.training.routine == "leg-day"
        assert len([s for s in app.screen_stack if isinstance(s, CoachScreen)]) == 1


async def test_the_load_starts_from_dash_dash_load_and_the_keys_step_it_by_the_increment() -> None:
    app = build_app(["--mute", "--load", "100"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert field(app, "load").value == "100 kg"
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        assert field(app, "load").value == "102.5 kg"
        assert "3×12 · rest 120 s · 102.5 kg" in details(app)
        burst(app, "right_square_bracket", "right_square_bracket", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert {str(plan.load) for plan in app.training.plans()} == {"107.5 kg"}


async def test_the_load_starts_from_the_presets_own_in_its_unit_and_its_increment() -> None:
    user_file("my-press.yaml", "name: My press\ntempo: 2-1-2-1\nsets: 3\nreps: 8\nrest: 90\nload: 135\nunit: lb\nincrement: 10\n")
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "my-press")
        assert field(app, "load").value == "135 lb"
        await pilot.press("right_square_bracket")
        assert field(app, "load").value == "145 lb"
        field(app, "load").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"60", "escape")
        await highlight(pilot, "leg-press")
        assert field(app, "load").value == ""  # leg-press has no load of its own, and no history
        await highlight(pilot, "my-press")
        assert field(app, "load").value == "135 lb"


async def test_a_wrong_load_names_its_field_and_does_not_start() -> None:
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("w", *"100 kgg")
        await pilot.pause()
        assert error_line(app) == "load: unit 'kgg' is not kg or lb"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.session is None
        await pilot.press("backspace")
        await pilot.pause()
        assert error_line(app) == ""
        await pilot.press("q", "s")  # not a load's letters: not typed, and q does not quit from a field
        assert field(app, "load").value == "100 kg" and isinstance(app.screen, StartScreen) and app.is_running


async def test_the_last_session_and_todays_suggestion_show_and_offer_the_load(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"  # the conftest's TEMPO_COACH_HISTORY
    weeks(history, "Leg press", [[Row(12, 97.5), Row(12, 97.5), Row(11, 97.5)], [Row(12, 100, fallback=9), Row(12, 100, fallback=10), Row(12, 100)]])
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await history_read(pilot)
        line = past_line(app)
        assert "last: 100 kg × 12, 12, 12 · slow positive held to rep 8, 9, 12" in line
        assert "today: add 2.5 kg (102.5 kg)" in line and "offered in the Load field" in line
        assert field(app, "load").value == "102.5 kg"
        await highlight(pilot, "goblet-squat")
        await history_read(pilot)
        assert past_line(app) == "" and field(app, "load").value == ""
        await highlight(pilot, "routine/leg-day")
        await history_read(pilot)
        assert past_line(app).startswith("Leg press · last: 100 kg")
        assert field(app, "load").value == "102.5 kg"


async def test_a_given_load_is_kept_and_the_suggestion_only_shown(tmp_path: Path) -> None:
    weeks(tmp_path / "history.sqlite3", "Leg press", [[Row(12, 100), Row(10, 100), Row(9, 100)]])
    app = build_app(["--mute", "--load", "90"])
    async with app.run_test(size=(100, 30)) as pilot:
        await history_read(pilot)
        assert "today: keep 100 kg: set 2: 10 of 12 reps" in past_line(app)
        assert "offered" not in past_line(app) and field(app, "load").value == "90 kg"


async def test_a_late_history_answer_for_another_line_is_not_shown() -> None:
    """The lifter moved on before the history was read: the old line must not show under the new."""
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await history_read(pilot)
        await highlight(pilot, "goblet-squat")
        stale = Past("Leg press", "last: 999 kg × 1", Suggestion(Load(999.0, Unit.KG), "keep", "Keep 999 kg: x."), {})
        app.screen.post_message(StartScreen.PastRead("leg-press", stale))
        await pilot.pause()
        assert "999" not in past_line(app) and field(app, "load").value == ""


async def test_no_history_or_an_unreadable_one_shows_nothing(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await history_read(pilot)
        assert past_line(app) == "" and field(app, "load").value == ""
        assert isinstance(app.screen, StartScreen)


async def test_a_routines_name_is_shown_verbatim_and_a_broken_routine_says_why() -> None:
    user_file("odd-day.yaml", "name: '[/b] day [@click=app.quit]x[/]'\nexercises:\n  - preset: leg-press\n")
    user_file("bad-day.yaml", "exercises:\n  - preset: nope\n")
    app = start_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "routine/odd-day")
        assert "[/b] day [@click=app.quit]x[/] · 1 exercise ·" in option_text(app, "routine/odd-day")
        assert details(app).startswith("[/b] day [@click=app.quit]x[/]\n") and app.is_running
        assert "invalid: see details" in option_text(app, "routine/bad-day")
        await highlight(pilot, "routine/bad-day")
        assert details(app).startswith("This routine cannot be used:\n") and "bad-day.yaml:2:13: preset: no preset named 'nope'" in details(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.session is None and app.is_running
