"""The coach in the TUI (pilot, fake clock) playing through the open stream on a fake sound card:
the voice clips come in order with the beeps, in the cue log and in the samples played; a word
that would not fit is skipped and logged; `--voice off` says nothing."""

from __future__ import annotations

import json
from pathlib import Path

from app_driver import build_app
from clock import step_until
from fake_stream import FakeSoundDevice

from tempo_coach.audio.stream import RATE, StreamBackend, open_stream
from tempo_coach.runtime import session as session_module
from tempo_coach.tui.app import TempoCoachApp


def build(monkeypatch, argv: list[str], log: Path) -> tuple[TempoCoachApp, FakeSoundDevice]:
    app = build_app([*argv, "--cue-log", str(log), "--no-keep-awake"])
    device = FakeSoundDevice(app.clock)  # type: ignore[arg-type]
    opened = lambda preset, backend, ring, **options: open_stream(preset, options["keep_awake"], module=device, now=app.clock)  # noqa: E731
    monkeypatch.setattr(session_module, "open_sound", opened)
    return app, device


async def play(app: TempoCoachApp, pilot, device: FakeSoundDevice, seconds: float) -> None:
    """Move the fake clock as the cue thread and the sound card would, together."""
    assert app.session is not None and app.session.coach is not None
    until = app.clock.now + seconds  # type: ignore[attr-defined]
    while app.clock.now < until:  # type: ignore[attr-defined]
        step_until(app.session.coach, app.clock, min(until, app.clock.now + 0.04))  # type: ignore[arg-type, attr-defined]
        device.run_until(app.clock.now)  # type: ignore[attr-defined]
    app.refresh_view()
    await pilot.pause()


def logged(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def onsets(backend: StreamBackend, device: FakeSoundDevice, names: list[str]) -> list[int]:
    """Where each sound's samples begin in what was played, each searched after the one before."""
    played, found, after = device.out.tobytes(), [], 0
    for name in names:
        head = backend.samples(name, 1.0)[:2000].tobytes()
        position = played.find(head, 2 * after) // 2
        found.append(position)
        after = max(after, position + 1)
    return found


WORKOUT = ["leg-press", "--sets", "1", "--reps", "3", "--get-ready", "3", "--tempo", "2-1-1-1"]


async def test_counts_are_spoken_after_each_rep_s_first_beep_in_the_log_and_in_the_samples(monkeypatch, tmp_path) -> None:
    log = tmp_path / "cues.jsonl"
    app, device = build(monkeypatch, WORKOUT, log)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        backend = app.sound.backend  # while it plays: a finished workout closes it
        assert isinstance(backend, StreamBackend)
        await play(app, pilot, device, 17.0)
    lines = logged(log)
    assert {line["backend"] for line in lines} == {"stream"}
    names = [str(line["cue"]) for line in lines]
    assert names == [
        "countdown", "countdown", "go", "voice:1", "tick", "bottom_hold", "positive", "top_hold",
        "negative", "voice:2", "tick", "bottom_hold", "positive", "top_hold",
        "negative", "voice:3", "tick", "bottom_hold", "positive", "done",
    ]  # fmt: skip (the leg press ticks each second; the first 3 of the countdown is the start itself)
    played = onsets(backend, device, names)
    assert all(position >= 0 for position in played), dict(zip(names, played))
    assert played == sorted(played)  # in order, each once
    for name, line, position in zip(names, lines, played):
        heard = device.heard_at(position)
        assert abs(heard - float(line["dispatched"])) < 2 / RATE, name  # on the sample of its time
    for beep, word in ((2, 3), (8, 9), (14, 15)):  # each word starts after its beep has ended
        assert played[word] >= played[beep] + len(backend.samples(names[beep], 1.0))


async def test_a_word_that_would_not_fit_is_skipped_logged_and_never_played(monkeypatch, tmp_path) -> None:
    log = tmp_path / "cues.jsonl"
    app, device = build(monkeypatch, [*WORKOUT[:-1], "0.5-0-0.5-0", "--voice", "phases"], log)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        backend = app.sound.backend  # while it plays: a finished workout closes it
        assert isinstance(backend, StreamBackend)
        await play(app, pilot, device, 7.0)
    voice = [line for line in logged(log) if str(line["cue"]).startswith("voice")]
    assert [line["cue"] for line in voice] == ["voice:1", "voice:up", "voice:2", "voice:up", "voice:3", "voice:up"]
    assert {line["skipped"] for line in voice} == {"would not fit before the next cue"}
    assert all(position == -1 for position in onsets(backend, device, ["voice:1", "voice:up"]))


async def test_voice_off_says_nothing(monkeypatch, tmp_path) -> None:
    log = tmp_path / "cues.jsonl"
    app, device = build(monkeypatch, [*WORKOUT, "--voice", "off"], log)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        backend = app.sound.backend  # while it plays: a finished workout closes it
        assert isinstance(backend, StreamBackend)
        await play(app, pilot, device, 17.0)
    names = [str(line["cue"]) for line in logged(log)]
    assert "go" in names and "done" in names and not any(n.startswith("voice") for n in names)
    assert onsets(backend, device, ["voice:1"]) == [-1]
    assert onsets(backend, device, ["go", "done"])[1] > 0


def occurrences(haystack: bytes, needle: bytes, length: int) -> int:
    """How many times a sound of `length` bytes that begins with `needle` starts in `haystack`
    (a double pulse repeats its own beginning inside itself: that is one sound, not two)."""
    count, at = 0, haystack.find(needle)
    while at != -1:
        count, at = count + 1, haystack.find(needle, at + length)
    return count


async def test_pause_fallback_end_set_and_skip_re_plan_the_stream_without_doubles(monkeypatch, tmp_path) -> None:
    log = tmp_path / "cues.jsonl"
    app, device = build(monkeypatch, ["leg-press", "--sets", "2", "--reps", "3", "--rest", "20", "--get-ready", "3", "--voice", "full"], log)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        backend = app.sound.backend  # while it plays: a finished workout closes it
        assert isinstance(backend, StreamBackend)
        await play(app, pilot, device, 3.4)  # "go" at 3 s, then the word "go"
        await pilot.press("space")  # pause: what plays fades out (tests/test_stream.py checks the fade)
        paused_at = len(device.out)
        await play(app, pilot, device, 3.0)
        await pilot.press("space")
        await play(app, pilot, device, 1.0)
        await pilot.press("f")
        await play(app, pilot, device, 4.0)
        await pilot.press("enter")  # end the set: set over, rest
        await play(app, pilot, device, 2.0)
        await pilot.press("s")  # skip the rest
        await play(app, pilot, device, 8.0)
        end = app.clock.now - 0.1  # type: ignore[attr-defined]
    played = device.out[: backend.clock.frame_at(end)].tobytes()  # the card is ahead: written is not yet heard
    lines = [line for line in logged(log) if not line.get("skipped") and float(line["deadline"]) < end - 0.05]
    for name in {str(line["cue"]) for line in lines}:
        samples = backend.samples(name, 1.0)
        head, length = samples[:1500].tobytes(), 2 * len(samples)
        expected = sum(occurrences(backend.samples(str(line["cue"]), 1.0).tobytes(), head, length) for line in lines)
        found = occurrences(played, head, length)  # each once ("set 1" holds a "1": counted there)
        assert found == expected if not name.startswith("voice:") else 0 < found <= expected, name  # an action may cut a word short
    assert "set_done" in [line["cue"] for line in lines] and "rest_over" in [line["cue"] for line in lines]
    every = logged(log)
    rest_from = next(float(l["deadline"]) for l in every if l["cue"] == "set_done")
    rest_to = next(float(l["deadline"]) for l in every if l["cue"] == "rest_over")  # skipped: the get-ready follows
    said_in_rest = [l["cue"] for l in every if str(l["cue"]).startswith("voice:") and rest_from < float(l["deadline"]) < rest_to]
    assert said_in_rest == ["voice:rest", "voice:next leg-press"]  # nothing left over from the set that ended
    fade = round(0.005 * RATE)
    assert not any(device.out[paused_at + fade : paused_at + int(2.5 * RATE)])  # silent while paused, after the fade
