"""`voice:` in a preset and in config.yaml, `keep_awake:` in config.yaml, and the run flags that
override them: read, validated with path:line:col, and resolved flag > preset > config > counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.cli.commands import build_parser, run_options
from tempo_coach.core.model import VOICES, Voice
from tempo_coach.presets.config import Config, load_config
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.presets.schema import preset_schema


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_preset_says_how_much_is_spoken(tmp_path: Path) -> None:
    assert load_preset(write(tmp_path, "p.yaml", "tempo: 2-1-1-1\nvoice: full\n")).voice is Voice.FULL
    assert load_preset(write(tmp_path, "q.yaml", "tempo: 2-1-1-1\n")).voice is None


def test_a_plain_off_means_off_though_yaml_reads_it_as_false(tmp_path: Path) -> None:
    assert load_preset(write(tmp_path, "p.yaml", "tempo: 2-1-1-1\nvoice: off\n")).voice is Voice.OFF
    assert load_preset(write(tmp_path, "q.yaml", "tempo: 2-1-1-1\nvoice: 'off'\n")).voice is Voice.OFF
    with pytest.raises(PresetError, match="voice: expected text, got a boolean"):
        load_preset(write(tmp_path, "r.yaml", "tempo: 2-1-1-1\nvoice: no\n"))
    with pytest.raises(PresetError, match="voice: 'counts' is not a valid !!int value"):
        load_preset(write(tmp_path, "s.yaml", "tempo: 2-1-1-1\nvoice: !!int counts\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tempo: 2-1-1-1\nvoice: loud\n", "p.yaml:2:8: voice: expected one of counts, phases, full, off, got 'loud'"),
        ("tempo: 2-1-1-1\nvoice: 3\n", "p.yaml:2:8: voice: expected text, got an integer"),
        ("tempo: 2-1-1-1\nvoice: [counts]\n", "p.yaml:2:8: voice: expected text, got a list"),
        ("tempo: 2-1-1-1\nvoice: !!str \"off\\x1b[2J\"\n", "voice: control character '\\x1b' (U+001B)"),
        ("tempo: 2-1-1-1\nvoise: off\n", "p.yaml:2:1: preset: unknown key 'voise'; did you mean 'voice'?"),
    ],
)
def test_a_wrong_voice_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PresetError) as caught:
        load_preset(write(tmp_path, "p.yaml", text))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_config_reads_voice_and_keep_awake(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "c.yaml", "voice: off\nkeep_awake: false\naudio_offset_ms: 50\n")) == Config(audio_offset_ms=50.0, voice=Voice.OFF, keep_awake=False)
    assert load_config(write(tmp_path, "d.yaml", "voice: phases\n")) == Config(voice=Voice.PHASES)
    with pytest.raises(PresetError, match=r"e.yaml:1:13: keep_awake: expected true or false, got text 'sometimes'"):
        load_config(write(tmp_path, "e.yaml", "keep_awake: sometimes\n"))


def options(*argv: str, config: Config = Config()):  # type: ignore[no-untyped-def]
    return run_options(build_parser().parse_args(["run", *argv]), config)


def test_the_flag_beats_the_preset_which_beats_config_yaml() -> None:
    assert options().voice_for(None) is Voice.COUNTS
    assert options(config=Config(voice=Voice.OFF)).voice_for(None) is Voice.OFF
    assert options(config=Config(voice=Voice.OFF)).voice_for(Voice.FULL) is Voice.FULL
    assert options("--voice", "phases", config=Config(voice=Voice.OFF)).voice_for(Voice.FULL) is Voice.PHASES


def test_keep_awake_and_backend_come_from_the_flags_or_config() -> None:
    assert options().keep_awake and options().backend == "auto"
    assert not options(config=Config(keep_awake=False)).keep_awake
    assert not options("--no-keep-awake").keep_awake
    assert options("--backend", "bell").backend == "bell"


def test_the_schema_knows_the_voice_key() -> None:
    assert preset_schema()["properties"]["voice"]["enum"] == list(VOICES)


def test_the_sound_test_says_words_too(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import time

    from collections.abc import Mapping

    from tempo_coach.audio import choose
    from tempo_coach.audio.backend import Backend
    from tempo_coach.audio.voice import voice_lengths
    from tempo_coach.cli import commands as cli

    played: list[str] = []

    class Speaking(Backend):
        name, notice = "speaking", "test"

        @property
        def durations(self) -> Mapping[str, float]:
            return voice_lengths()

        def play(self, cue: str, volume: float) -> None:
            played.append(cue)

        def close(self) -> None:
            pass

    monkeypatch.setattr(time, "sleep", lambda s: None)
    monkeypatch.setattr(choose, "open_sound", lambda *a, **k: Speaking())
    assert cli.main(["run", "--sound-test"]) == 0
    words = [cue for cue in played if cue.startswith("voice:")]
    assert words[:3] == ["voice:1", "voice:2", "voice:3"] and "voice:set 2" in words and "voice:done" in words
    assert '"set 2"      said aloud' in capsys.readouterr().out
