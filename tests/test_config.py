"""The user config file: defaults when absent, clear path:line:col errors when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.presets.config import (
    Config,
    load_config,
    resolve_offset_ms,
)
from tempo_coach.presets.loader import PresetError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_missing_or_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.yaml") == Config()
    assert load_config(write(tmp_path, "# nothing yet\n")) == Config()


def test_audio_offset_is_read(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "audio_offset_ms: 180\n")).audio_offset_ms == 180.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("audio_ofset_ms: 200\n", "config.yaml:1:1: config: unknown key 'audio_ofset_ms'; did you mean 'audio_offset_ms'?"),
        ("\naudio_offset_ms: fast\n", "config.yaml:2:18: audio_offset_ms: expected a number, got text 'fast'"),
        ("audio_offset_ms: -5\n", "config.yaml:1:18: audio_offset_ms: -5 is out of range (0 to 1000 ms)"),
        ("audio_offset_ms: .nan\n", "audio_offset_ms: nan is not a finite number"),
        ("audio_offset_ms: true\n", "audio_offset_ms: expected a number, got a boolean"),
        ("audio_offset_ms: 1\naudio_offset_ms: 2\n", "config.yaml:2:1: config: duplicate key 'audio_offset_ms' (first given on line 1)"),
        ("- 180\n", "config.yaml:1:1: expected a mapping of settings"),
        ("audio_offset_ms: [1\n", "YAML syntax"),
    ],
)
def test_a_wrong_file_is_an_error_naming_the_place(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PresetError) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "config.yaml"))


def test_command_line_wins() -> None:
    assert resolve_offset_ms(None, Config(200.0)) == 200.0
    assert resolve_offset_ms(0.0, Config(200.0)) == 0.0


def test_flash_is_read_and_off_by_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "flash: true\n")).flash is True
    assert load_config(write(tmp_path, "audio_offset_ms: 100\nflash: false\n")) == Config(100.0, False)
    assert load_config(write(tmp_path, "audio_offset_ms: 100\n")).flash is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("audio_offset_ms: &a 180\n", "config.yaml:1:18: anchors and aliases (&, *) are not supported in a config file"),
        ("audio_offset_ms: !!binary aGk=\n", "config.yaml:1:18: tag '!!binary' is not allowed in a config file"),
        ("audio_offset_ms: 1\n---\naudio_offset_ms: 2\n", "config.yaml:2:1: expected a single document, but a second one starts here; a config file is one YAML document"),
        ("audio_offset_ms: " + "9" * 5000 + "\n", "config.yaml:1:18: audio_offset_ms: '" + "9" * 40 + "…' is too long for a number (5,000 characters; at most 32)"),
        ("audio_offset_ms: !!float x\n", "config.yaml:1:18: audio_offset_ms: 'x' is not a valid !!float value"),
    ],
)
def test_config_errors_speak_of_the_config_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PresetError) as caught:
        load_config(write(tmp_path, text))
    assert str(caught.value) == f"{tmp_path}/{message}"
    assert "preset" not in str(caught.value)


def test_a_config_file_over_the_size_limit_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, "# padding\n" * 100_001)
    with pytest.raises(PresetError, match=r"config.yaml:1:1: file is 1,000,010 bytes; a config file may be at most 1,000,000$"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("flash: maybe\n", "config.yaml:1:8: flash: expected true or false"),
        ("flash: 1\n", "config.yaml:1:8: flash: expected true or false"),
        ("flsah: true\n", "config.yaml:1:1: config: unknown key 'flsah'; did you mean 'flash'?"),
    ],
)
def test_a_wrong_flash_is_an_error_naming_the_place(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PresetError) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)
