"""The load keys of a preset (`load`, `unit`, `increment`, `get_ready_after_rest`) and config.yaml's
`unit`: read by the one load parser, their faults one `PATH:LINE:COL: message` line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.core.load import Load, Unit
from tempo_coach.presets.config import Config, load_config
from tempo_coach.presets.loader import PresetError, parse_preset

FAKE = Path("p.yaml")


def preset_with(line: str, default_unit: Unit = Unit.KG):
    return parse_preset(f"tempo: 2-1-1-1\n{line}\n", FAKE, default_unit=default_unit)


@pytest.mark.parametrize(
    ("line", "load"),
    [
        ("load: 100", Load(100.0, Unit.KG)),
        ("load: 102.5", Load(102.5, Unit.KG)),
        ("load: 225 lb", Load(225.0, Unit.LB)),
        ("load: '100 KG'", Load(100.0, Unit.KG)),
        ("load: bw", Load(0.0, Unit.KG, bodyweight=True)),
        ("load: bw+10", Load(10.0, Unit.KG, bodyweight=True)),
        ("load: bodyweight - 20 lb", Load(-20.0, Unit.LB, bodyweight=True)),
        ("load: 0", Load(0.0, Unit.KG)),
    ],
)
def test_a_load_is_read_by_the_load_parser(line: str, load: Load) -> None:
    assert preset_with(line).load == load


def test_a_load_without_a_unit_takes_the_presets_unit_else_the_default() -> None:
    assert preset_with("load: 100\nunit: lb").load == Load(100.0, Unit.LB)
    assert preset_with("unit: lb\nload: 100").unit is Unit.LB
    assert preset_with("load: 100", default_unit=Unit.LB).load == Load(100.0, Unit.LB)
    assert preset_with("load: 100 kg", default_unit=Unit.LB).load == Load(100.0, Unit.KG)
    assert preset_with("name: x").unit is None and preset_with("name: x").load is None


def test_increment_and_get_ready_after_rest() -> None:
    preset = preset_with("increment: 1.25\nget_ready_after_rest: true")
    assert (preset.increment, preset.get_ready_after_rest) == (1.25, True)
    assert (preset_with("name: x").increment, preset_with("name: x").get_ready_after_rest) == (None, False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("load: heavy", "p.yaml:2:7: load: 'heavy' is not a load: a number (100, 102.5 kg, 225 lb) or bw, bw+10, bw-20"),
        ("load: 100 kgs", "p.yaml:2:7: load: unit 'kgs' is not kg or lb"),
        ("load: 3000", "p.yaml:2:7: load must be 0 to 2000, got 3000"),
        ("load: -5", "p.yaml:2:7: load: '-5' is not a load"),
        ("load: .nan", "p.yaml:2:7: load: '.nan' is not a load"),
        ("load: 1_000", "p.yaml:2:7: load: '1_000' is not a load"),
        ("load: [100]", "p.yaml:2:7: load: expected a load such as 100, 102.5 kg, 225 lb, bw or bw+10, got a list"),
        ("load:", "p.yaml:2:6: load: expected a load such as 100, 102.5 kg, 225 lb, bw or bw+10, got nothing (null)"),
        ("load: !!int heavy", "p.yaml:2:7: load: 'heavy' is not a valid !!int value"),
        ("load: true", "p.yaml:2:7: load: expected a load such as 100, 102.5 kg, 225 lb, bw or bw+10, got a boolean"),
        ("unit: kgs", "p.yaml:2:7: unit: 'kgs' is not a unit: kg or lb"),
        ("unit: 5", "p.yaml:2:7: unit: '5' is not a unit: kg or lb"),
        ("increment: 0", "p.yaml:2:12: increment: 0 is out of range (more than 0, at most 100)"),
        ("increment: -2.5", "p.yaml:2:12: increment: -2.5 is out of range"),
        ("increment: .inf", "p.yaml:2:12: increment: inf is not a finite number"),
        ("increment: two", "p.yaml:2:12: increment: expected a number, got text 'two'"),
        ("get_ready_after_rest: maybe", "p.yaml:2:23: get_ready_after_rest: expected true or false, got text 'maybe'"),
        ("laod: 100", "p.yaml:2:1: preset: unknown key 'laod'; did you mean 'load'?"),
        ("units: kg", "p.yaml:2:1: preset: unknown key 'units'; did you mean 'unit'?"),
    ],
)
def test_a_wrong_load_key_is_one_line_at_its_place(line: str, message: str) -> None:
    with pytest.raises(PresetError) as caught:
        preset_with(line)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("unit", ["x" * 5000, "kg" * 3000], ids=["x5000", "kg3000"])
def test_a_long_wrong_unit_is_not_echoed_whole(unit: str) -> None:
    """'100' followed by 5 000 letters was quoted back whole: a 5 KB error line."""
    with pytest.raises(PresetError) as caught:
        preset_with(f"load: 100{unit}")
    assert len(str(caught.value)) < 120 and "is not kg or lb" in str(caught.value)


def test_config_unit(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    assert load_config(tmp_path / "none.yaml").unit is Unit.KG
    path.write_text("unit: lb\n")
    assert load_config(path) == Config(unit=Unit.LB)
    path.write_text("unit: pounds\n")
    with pytest.raises(PresetError, match=r"config.yaml:1:7: unit: 'pounds' is not a unit: kg or lb$"):
        load_config(path)


def test_a_long_wrong_unit_key_is_not_echoed_whole() -> None:
    """`unit:` with 5 000 letters was quoted back whole."""
    with pytest.raises(PresetError) as caught:
        preset_with("unit: " + "k" * 5000)
    assert len(str(caught.value)) < 120 and "is not a unit: kg or lb" in str(caught.value)
