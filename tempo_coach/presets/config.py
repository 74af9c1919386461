"""The lifter's own settings: `config.yaml` in the user config folder (`paths.user_config_dir()`).

    # ~/.config/tempo-coach/config.yaml
    audio_offset_ms: 180   # Bluetooth speaker: play every sound 180 ms before its deadline
    voice: phases          # counts (default), phases, full or off; a preset's own voice: wins
    keep_awake: false      # no hiss between cues on the open stream (it keeps Bluetooth awake)

A missing file means the defaults. A file that is there but wrong is an error the lifter must see
(a `PresetError`: `path:line:col: message`, read by the same code as a preset): silently ignoring a typo would leave
the sounds late without saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import MappingNode

from tempo_coach.core.model import Voice
from tempo_coach.paths import user_config_dir
from tempo_coach.presets.loader import NodeReader, compose, read_text, read_voice

MAX_OFFSET_MS = 1000.0
KEYS = ("audio_offset_ms", "voice", "keep_awake")


@dataclass(frozen=True)
class Config:
    audio_offset_ms: float = 0.0
    voice: Voice | None = None
    keep_awake: bool = True


def config_path() -> Path:
    return user_config_dir() / "config.yaml"


def load_config(path: Path | None = None) -> Config:
    """The settings in `path` (default: config_path()); defaults when the file does not exist."""
    path = path or config_path()
    if not path.exists():
        return Config()
    return parse_config(read_text(path), path)


def parse_config(text: str, path: Path) -> Config:
    root = compose(text, path)
    if root is None:
        return Config()
    reader = NodeReader(path)
    if not isinstance(root, MappingNode):
        raise reader.fail(root, "expected a mapping of settings, e.g. audio_offset_ms: 180")
    settings = reader.mapping(root, "config", KEYS)
    config = Config()
    if "audio_offset_ms" in settings:
        node = settings["audio_offset_ms"]
        offset = reader.number(node, "audio_offset_ms")
        if not 0 <= offset <= MAX_OFFSET_MS:
            raise reader.fail(node, f"audio_offset_ms: {offset:g} is out of range (0 to {MAX_OFFSET_MS:g} ms)")
        config = replace(config, audio_offset_ms=offset)
    if "voice" in settings:
        config = replace(config, voice=read_voice(reader, settings["voice"]))
    if "keep_awake" in settings:
        config = replace(config, keep_awake=reader.boolean(settings["keep_awake"], "keep_awake"))
    return config



def resolve_offset_ms(cli_ms: float | None, config: Config) -> float:
    """The command line's --audio-offset wins over the config file."""
    return config.audio_offset_ms if cli_ms is None else cli_ms


def check_offset_ms(value: float) -> float:
    """Validate an offset given on the command line; ValueError says what is wrong."""
    if not math.isfinite(value) or not 0 <= value <= MAX_OFFSET_MS:
        raise ValueError(f"--audio-offset must be 0 to {MAX_OFFSET_MS:g} ms, got {value:g}")
    return value
