"""The lifter's own settings: `config.yaml` in the user config folder (`paths.user_config_dir()`).

    # ~/.config/tempo-coach/config.yaml
    audio_offset_ms: 180   # Bluetooth speaker: play every sound 180 ms before its deadline
    flash: true            # noisy gym: the whole screen flashes the new phase's colour

A missing file means the defaults. A file that is there but wrong is an error the lifter must see
(a `PresetError`: `path:line:col: message`, read by the same code as a preset, its messages
speaking of a config file): silently ignoring a typo would leave the sounds late without saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode

from tempo_coach.core.overrides import FieldError, check_audio_offset
from tempo_coach.paths import user_config_dir
from tempo_coach.presets.node_reader import NodeReader
from tempo_coach.presets.yaml_nodes import compose, read_text

KEYS = ("audio_offset_ms", "flash")
KIND = "config file"
"""What the file is called in its error messages: 'a config file may be at most 1,000,000 bytes'."""


@dataclass(frozen=True)
class Config:
    audio_offset_ms: float = 0.0
    flash: bool = False
    """Flash the whole screen on each phase change (the `l` key toggles it while coaching)."""


def config_path() -> Path:
    return user_config_dir() / "config.yaml"


def load_config(path: Path | None = None) -> Config:
    """The settings in `path` (default: config_path()); defaults when the file does not exist."""
    path = path or config_path()
    if not path.exists():
        return Config()
    return parse_config(read_text(path, KIND), path)


def parse_config(text: str, path: Path) -> Config:
    root = compose(text, path, KIND)
    if root is None:
        return Config()
    reader = NodeReader(path, text)
    if not isinstance(root, MappingNode):
        raise reader.fail(root, "expected a mapping of settings, e.g. audio_offset_ms: 180")
    settings = reader.mapping(root, "config", KEYS)
    flash = reader.boolean(settings["flash"], "flash") if "flash" in settings else False
    if "audio_offset_ms" not in settings:
        return Config(flash=flash)
    node = settings["audio_offset_ms"]
    try:
        return Config(check_audio_offset(reader.number(node, "audio_offset_ms"), "audio_offset_ms"), flash)
    except FieldError as error:
        raise reader.fail(node, str(error)) from None


def resolve_offset_ms(cli_ms: float | None, config: Config) -> float:
    """The command line's --audio-offset wins over the config file."""
    return config.audio_offset_ms if cli_ms is None else cli_ms
