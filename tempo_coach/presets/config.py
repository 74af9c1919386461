"""The lifter's own settings: `config.yaml` in the user config folder (`paths.user_config_dir()`).

    # ~/.config/tempo-coach/config.yaml
    audio_offset_ms: 180   # Bluetooth speaker: play every sound 180 ms before its deadline
    flash: true            # noisy gym: the whole screen flashes the new phase's colour
    voice: phases          # counts (default), phases, full or off; a preset's own voice: wins
    keep_awake: false      # no hiss between cues on the open stream (it keeps Bluetooth awake)
    unit: lb               # kg (default) or lb: the unit of a load that names none

A missing file means the defaults. A file that is there but wrong is an error the lifter must see
(a `PresetError`: `path:line:col: message`, read by the same code as a preset, its messages
speaking of a config file): silently ignoring a typo would leave the sounds late without saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import MappingNode

from tempo_coach.core.load import Unit
from tempo_coach.core.model import Voice
from tempo_coach.core.fields import FieldError
from tempo_coach.core.overrides import check_audio_offset
from tempo_coach.paths import user_config_dir
from tempo_coach.presets.loader import read_unit, read_voice
from tempo_coach.presets.node_reader import NodeReader
from tempo_coach.presets.yaml_nodes import compose, read_text

KEYS = ("audio_offset_ms", "flash", "voice", "keep_awake", "unit")
KIND = "config file"
"""What the file is called in its error messages: 'a config file may be at most 1,000,000 bytes'."""


@dataclass(frozen=True)
class Config:
    audio_offset_ms: float = 0.0
    flash: bool = False
    """Flash the whole screen on each phase change (the `l` key toggles it while coaching)."""
    voice: Voice | None = None
    """What is said aloud, unless the preset or --voice says; None: the default (counts)."""
    keep_awake: bool = True
    """Near-silence between cues on the open stream, so a Bluetooth sink never sleeps."""
    unit: Unit = Unit.KG
    """The unit of a load given without one, where the preset or routine names no `unit:`."""


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
    config = Config()
    if "audio_offset_ms" in settings:
        node = settings["audio_offset_ms"]
        try:
            config = replace(config, audio_offset_ms=check_audio_offset(reader.number(node, "audio_offset_ms"), "audio_offset_ms"))
        except FieldError as error:
            raise reader.fail(node, str(error)) from None
    if "flash" in settings:
        config = replace(config, flash=reader.boolean(settings["flash"], "flash"))
    if "voice" in settings:
        config = replace(config, voice=read_voice(reader, settings["voice"]))
    if "keep_awake" in settings:
        config = replace(config, keep_awake=reader.boolean(settings["keep_awake"], "keep_awake"))
    if "unit" in settings:
        config = replace(config, unit=read_unit(reader, settings["unit"]))
    return config


def resolve_offset_ms(cli_ms: float | None, config: Config) -> float:
    """The command line's --audio-offset wins over the config file."""
    return config.audio_offset_ms if cli_ms is None else cli_ms
