"""The start screen's keys never surprise: one Tab to a field, Esc out of it, q never typed, the
details follow the fields, an error names its field, and a burst of keys starts what it shows."""

from __future__ import annotations

from app_driver import build_app
from textual import events
from textual.widgets import Input, OptionList

from tempo_coach.core.fields import FieldError
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
