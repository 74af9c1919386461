"""The lifter's own settings: `config.yaml` in the user config folder (`paths.user_config_dir()`).

    # ~/.config/tempo-coach/config.yaml
    audio_offset_ms: 180   # Bluetooth speaker: play every sound 180 ms before its deadline

A missing file means the defaults. A file that is there but wrong is an error the lifter must see
(`ConfigError`, `path:line:col: message`, like a preset's): silently ignoring a typo would leave
the sounds late without saying why.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from tempo_coach.paths import user_config_dir
from tempo_coach.preset import PresetError

MAX_OFFSET_MS = 1000.0
MAX_FILE_BYTES = 100_000
KEYS = ("audio_offset_ms",)


class ConfigError(PresetError):
    """A fault in the config file, shown like a preset's: `path:line:col: message`."""


@dataclass(frozen=True)
class Config:
    audio_offset_ms: float = 0.0


def config_path() -> Path:
    return user_config_dir() / "config.yaml"


def load_config(path: Path | None = None) -> Config:
    """The settings in `path` (default: config_path()); defaults when the file does not exist."""
    path = path or config_path()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(path, 1, 1, f"file is larger than {MAX_FILE_BYTES:,} bytes; is it the right file?")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError:
        raise ConfigError(path, 1, 1, "not UTF-8 text; save the file as UTF-8") from None
    except OSError as error:
        raise ConfigError(path, 1, 1, f"cannot read: {error.strerror or error}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    try:
        root = yaml.SafeLoader(text).get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError(path, line, col, f"YAML syntax: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(path, 1, 1, f"YAML: {error}") from None
    if root is None:
        return Config()
    if not isinstance(root, MappingNode):
        raise ConfigError(path, *_mark(root), "expected a mapping of settings, e.g. audio_offset_ms: 180")
    values: dict[str, float] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known settings: {', '.join(KEYS)}"
            raise ConfigError(path, *_mark(key_node), f"unknown setting {key!r}{hint}")
        if key in values:
            raise ConfigError(path, *_mark(key_node), f"{key} is given twice")
        values[key] = _offset(value_node, path)
    return Config(**values)


def _offset(node: Node, path: Path) -> float:
    try:
        value = yaml.SafeLoader("").construct_object(node) if isinstance(node, ScalarNode) else None
    except (yaml.YAMLError, ValueError):
        value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(path, *_mark(node), f"audio_offset_ms: expected a number of milliseconds, got {_text(node)}")
    if not 0 <= value <= MAX_OFFSET_MS:
        raise ConfigError(path, *_mark(node), f"audio_offset_ms: {value:g} is out of range (0 to {MAX_OFFSET_MS:g} ms)")
    return float(value)


def resolve_offset_ms(cli_ms: float | None, config: Config) -> float:
    """The command line's --audio-offset wins over the config file."""
    return config.audio_offset_ms if cli_ms is None else cli_ms


def check_offset_ms(value: float) -> float:
    """Validate an offset given on the command line; ValueError says what is wrong."""
    if not math.isfinite(value) or not 0 <= value <= MAX_OFFSET_MS:
        raise ValueError(f"--audio-offset must be 0 to {MAX_OFFSET_MS:g} ms, got {value:g}")
    return value


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _text(node: Node) -> str:
    return repr(node.value) if isinstance(node, ScalarNode) else "a mapping or list"
