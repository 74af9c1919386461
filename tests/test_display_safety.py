"""User text is never markup and never reaches the terminal raw.

Preset names, exercises, cues, notes, file names and paths may hold Textual markup (`[/b]`, `[/]`,
`[@click=app.quit]x[/]`, `[backup]`) and control characters (ESC, BEL, the C1 CSI U+009B). On every
screen they appear exactly as written, control characters escaped (`\\x1b`); the command line prints
them escaped too, so a file name can neither crash a screen, become a link, nor retitle the terminal.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from app_driver import build_app
from cli_runner import run_cli
from test_app import advance
from textual.widgets import OptionList, Static

from tempo_coach import paths
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history.store import HistoryStore
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.history import HistoryData, HistoryScreen
from tempo_coach.tui.screens.rest import RestScreen
from tempo_coach.tui.screens.start import StartScreen
from tempo_coach.tui.screens.summary import SummaryScreen

MARKUP = "[/b] [/] [@click=app.quit]x[/] [backup]"
ESCAPES = "\x1b]2;x\x07\x9b2J"  # retitle the terminal (OSC ... BEL), then clear it (C1 CSI)
SHOWN_ESCAPES = "\\x1b]2;x\\x07\\x9b2J"
HOSTILE_ID = f"sq [backup] {ESCAPES}"
"""A preset's file name (its id): markup and escape sequences."""
CUE_KEYS = ("general", "get_ready", "negative", "bottom_hold", "positive", "top_hold", "rest")


def hostile_preset_yaml() -> str:
    """Every text field holds markup (JSON is YAML)."""
    cues = {key: f"{key} {MARKUP}" for key in CUE_KEYS}
    return json.dumps(
        {
            "name": f"Press {MARKUP}",
            "exercise": f"Squat {MARKUP}",
            "tempo": "1-1-1-1",
            "sets": 2,
            "reps": 2,
            "rest": 5,
            "get_ready": 2,
            "cues": cues,
            "notes": [f"note {MARKUP}"],
        }
    )


def write_user_preset(name: str, text: str) -> Path:
    folder = paths.user_presets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def acted_on(char: str) -> bool:
    """What a terminal acts on instead of showing: C0, DEL, C1; or a file name's undecodable byte
    (a lone surrogate), which goes out as that raw byte (0x9b is the 8-bit CSI)."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def screen_lines(app: TempoCoachApp) -> list[str]:
    """The current screen as the terminal would be sent it, one string a row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_on_screen(app: TempoCoachApp, *texts: str) -> None:
    """Each text on one row, verbatim; no row holds a character for the terminal to act on."""
    lines = screen_lines(app)
    for text in texts:
        assert any(text in line for line in lines), f"{text!r} not on screen:\n" + "\n".join(lines)
    raw = [line for line in lines if any(acted_on(c) for c in line)]
    assert not raw, f"control characters reach the terminal: {raw!r}"


async def test_markup_and_escapes_in_a_preset_are_shown_verbatim_from_start_to_summary() -> None:
    write_user_preset(HOSTILE_ID, hostile_preset_yaml())
    write_user_preset(f"bad [backup] {ESCAPES}", "tempo: 2-1\n")
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        presets = app.screen.query_one(OptionList)
        ids = [entry.id for entry in app.screen.entries]
        presets.highlighted = ids.index(f"bad [backup] {ESCAPES}")
        await pilot.pause()
        assert_on_screen(app, f"bad [backup] {SHOWN_ESCAPES} invalid: see details", "This preset cannot be used:")
        assert f"bad [backup] {SHOWN_ESCAPES}.yaml:1:8: tempo:" in str(app.screen.query_one("#details", Static).content)

        presets.highlighted = ids.index(HOSTILE_ID)
        await pilot.pause()
        assert_on_screen(
            app,
            f"sq [backup] {SHOWN_ESCAPES}",
            f"Press {MARKUP}",
            f"• general {MARKUP}",
            *(f"• {key.replace('_', ' ')}: {key} {MARKUP}" for key in CUE_KEYS[1:]),
            f"• note {MARKUP}",
        )

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert_on_screen(app, f"Press {MARKUP}", f"general {MARKUP} get_ready {MARKUP}")
        for key in ("negative", "bottom_hold", "positive", "top_hold"):  # rep 1 of 2
            await advance(app, pilot, 2.0 if key == "negative" else 1.0)
            assert_on_screen(app, f"{key} {MARKUP}")
        await advance(app, pilot, 1.0 + 3.0)  # rep 2 ends on its positive
        assert isinstance(app.screen, RestScreen)
        assert_on_screen(app, f"Press {MARKUP}", f"rest {MARKUP}")

        await advance(app, pilot, 5.0 + 2.0 + 7.0)
        assert isinstance(app.screen, SummaryScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_on_screen(app, f"Done · Press {MARKUP}", "Saved 2 sets to history")
        assert app.is_running


async def test_a_file_name_shown_as_the_title_is_escaped() -> None:
    """A preset without a name is titled by its file name, control characters and all."""
    path = write_user_preset(HOSTILE_ID, "tempo: 2-1-1-1\n")
    app = build_app([str(path), "--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert_on_screen(app, f"sq [backup] {SHOWN_ESCAPES}")


def fill_history(path: Path) -> None:
    """Two workouts of a preset whose id and exercise hold markup and escape sequences."""
    preset = Preset(id=HOSTILE_ID, tempo=parse_tempo("2-1-2-1"), name=f"Press {MARKUP}", exercise=f"Squat {MARKUP}", sets=1, reps=5)
    day = datetime(2026, 11, 1, 17, 0, tzinfo=UTC)
    with HistoryStore.open(path) as store, store.transaction():
        for week in range(2):
            workout = store.start_workout(preset, day + timedelta(weeks=week))
            store.save_set(workout, SetCompleted(1, 5, 5, 30.0, None, True, 0.0))


async def open_history(app: TempoCoachApp, pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("h")
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if screen.data is not None:
            break
    assert screen.data is not None, "the history never appeared"
    await pilot.pause()
    return screen


async def test_history_rows_with_markup_and_escapes_are_shown_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short relative path, so the status line fits on one row
    history = Path(f"[backup] {ESCAPES}") / "h.sqlite3"
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(history))
    fill_history(history)
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(app, pilot)
        assert_on_screen(
            app,
            f"Squat {MARKUP} · sq [backup] {SHOWN_ESCAPES} · 2 sessions",  # the trend's title
            f"sq [backup] {SHOWN_ESCAPES}  2-1-2-1",  # a recent workout's row
            f"· [backup] {SHOWN_ESCAPES}/h.sqlite3",  # where the history lives
        )
        assert app.is_running


async def test_an_empty_or_damaged_history_names_its_path_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    empty = Path(f"[backup] {ESCAPES}") / "none.sqlite3"
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(empty))
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(app, pilot)
        assert_on_screen(app, f"saved to [backup] {SHOWN_ESCAPES}/none.sqlite3.")

    damaged = Path("[backup] [/]") / "h.sqlite3"  # folders '[backup] [' and ']'
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"not a database at all" * 200)
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(damaged))
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(app, pilot)  # only reads: the damaged file is reported, not moved
        assert_on_screen(app, "The workout history cannot be read: [backup] [/]/h.sqlite3 is damaged")


async def test_an_unreadable_history_error_is_shown_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(app, pilot)
        screen.data = HistoryData(Path("h"), error=f"cannot open [backup] {ESCAPES}: [/]")
        await pilot.pause()
        assert_on_screen(app, f"The workout history cannot be read: cannot open [backup] {SHOWN_ESCAPES}: [/]")


# ---- the command line ------------------------------------------------------------------------------


def user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "xdg" / "tempo-coach" / "presets"
    folder.mkdir(parents=True)
    return folder


def assert_escaped(output: str, *shown: str) -> None:
    """No control character but newlines reaches the terminal, and each `shown` text is there."""
    raw = [c for c in output if acted_on(c) and c != "\n"]
    assert not raw, f"raw control characters {raw!r} in {output!r}"
    for text in shown:
        assert text in output, f"{text!r} not in {output!r}"


def test_presets_lists_hostile_file_names_escaped(tmp_path: Path) -> None:
    folder = user_folder(tmp_path)
    (folder / f"good{ESCAPES}.yaml").write_text("tempo: 2-1-1-1\n")
    (folder / f"bad{ESCAPES}.yaml").write_text("tempo: 2-1\n")
    result = run_cli("presets", env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert result.returncode == 0 and result.stderr == ""
    assert_escaped(
        result.stdout,
        f"good{SHOWN_ESCAPES}  ",
        f"user ({folder}/good{SHOWN_ESCAPES}.yaml)",
        f"user: {folder}/bad{SHOWN_ESCAPES}.yaml:1:8: tempo:",
    )


def test_presets_lists_a_file_name_that_is_not_utf8_escaped(tmp_path: Path) -> None:
    """A raw 0x9b byte is the 8-bit CSI; Python reads it as the surrogate U+DC9B. Shown escaped, not
    written back raw (or, in a strict UTF-8 locale, failing the whole listing)."""
    folder = user_folder(tmp_path)
    (folder / os.fsdecode(b"raw\x9b.yaml")).write_text("tempo: 2-1-1-1\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    for encoding in ("utf-8:surrogateescape", "utf-8:strict"):
        result = run_cli("presets", env={**env, "PYTHONIOENCODING": encoding})
        assert (result.returncode, result.stderr) == (0, ""), encoding
        assert_escaped(result.stdout, "raw\\udc9b  ")


def test_an_unknown_preset_and_its_did_you_mean_are_escaped(tmp_path: Path) -> None:
    folder = user_folder(tmp_path)
    (folder / f"squat{ESCAPES}.yaml").write_text("tempo: 2-1-1-1\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    result = run_cli("run", f"name{ESCAPES}", env=env)
    assert result.returncode == 1
    assert_escaped(result.stderr, "no preset named 'name\\x1b]2;x\\x07\\x9b2J'", f"squat{SHOWN_ESCAPES}")
    result = run_cli("plan", "squat]2;x2J", env=env)  # close enough to be suggested
    assert result.returncode == 1
    assert_escaped(result.stderr, f"did you mean 'squat{SHOWN_ESCAPES}'?", f"romanian-deadlift, squat{SHOWN_ESCAPES} (or")


def test_check_names_a_broken_file_and_its_sound_escaped(tmp_path: Path) -> None:
    broken = tmp_path / f"bad{ESCAPES}.yaml"
    broken.write_text('tempo: 2-1-1-1\nsounds:\n  tick: "no\\u009b2J.wav"\n')
    result = run_cli("check", str(broken))
    assert result.returncode == 1
    assert_escaped(result.stderr, f"{tmp_path}/bad{SHOWN_ESCAPES}.yaml:3:9: sounds.tick:", "no\\x9b2J.wav")


def test_check_names_a_good_file_escaped(tmp_path: Path) -> None:
    good = tmp_path / f"good{ESCAPES}.yaml"
    good.write_text("tempo: 2-1-1-1\n")
    result = run_cli("check", str(good))
    assert (result.returncode, result.stderr) == (0, "")
    assert_escaped(result.stdout, f"{tmp_path}/good{SHOWN_ESCAPES}.yaml: ok")
