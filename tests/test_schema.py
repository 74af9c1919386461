"""The published JSON Schema: valid JSON, in step with the loaders, accepts the shipped presets and
routines (one schema: a preset or a routine)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from cli_runner import run_cli

from tempo_coach import paths
from tempo_coach.presets.loader import FALLBACK_KEYS, PRESET_KEYS
from tempo_coach.presets.routine_loader import EXERCISE_KEYS, ROUTINE_KEYS, SUPERSET_KEYS, WARMUP_KEYS

BROKEN = Path(__file__).parent / "broken_presets"
VALID = Path(__file__).parent / "valid_presets"


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    result = run_cli("schema")
    assert (result.returncode, result.stderr) == (0, "")
    printed = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(printed)
    return printed


def validator(schema: dict[str, object]):
    return jsonschema.Draft202012Validator(schema)


def test_schema_keys_are_the_loaders_keys(schema: dict[str, object]) -> None:
    preset = schema["$defs"]["preset"]
    assert set(preset["properties"]) == set(PRESET_KEYS) and len(PRESET_KEYS) == len(set(PRESET_KEYS))
    assert set(preset["properties"]["fallback"]["properties"]) == set(FALLBACK_KEYS)
    assert preset["required"] == ["tempo"] and preset["additionalProperties"] is False


def test_routine_schema_keys_are_the_routine_loaders_keys(schema: dict[str, object]) -> None:
    routine = schema["$defs"]["routine"]
    assert set(routine["properties"]) == set(ROUTINE_KEYS) and routine["required"] == ["exercises"]
    exercise, superset = routine["properties"]["exercises"]["items"]["oneOf"]
    assert set(exercise["properties"]) == set(EXERCISE_KEYS) and exercise["required"] == ["preset"]
    assert set(exercise["properties"]["warmup"]["items"]["properties"]) == set(WARMUP_KEYS)
    assert set(superset["properties"]) == set(SUPERSET_KEYS) and superset["properties"]["superset"]["minItems"] == 2
    assert set(superset["properties"]["superset"]["items"]["properties"]) == set(EXERCISE_KEYS) - {"rest_after"}


@pytest.mark.parametrize("preset", sorted(p.name for p in paths.shipped_presets_dir().glob("*.yaml")))
def test_every_shipped_preset_and_routine_validates(schema: dict[str, object], preset: str) -> None:
    data = yaml.safe_load((paths.shipped_presets_dir() / preset).read_text(encoding="utf-8"))
    validator(schema).validate(data)


@pytest.mark.parametrize("preset", sorted(p.name for p in VALID.glob("*.yaml")))
def test_every_valid_test_preset_validates(schema: dict[str, object], preset: str) -> None:
    data = yaml.safe_load((VALID / preset).read_text(encoding="utf-8-sig"))
    validator(schema).validate(data)


@pytest.mark.parametrize(
    "name",
    [
        "keys-unknown-did-you-mean.yaml", "keys-fallback-typo.yaml", "keys-cues-unknown-phase.yaml",
        "structure-missing-tempo.yaml", "structure-top-level-list.yaml", "types-sets-text.yaml",
        "types-name-boolean-yes.yaml", "types-tempo-list.yaml", "types-ticks-number.yaml", "range-sets-zero.yaml",
        "range-reps-negative.yaml", "range-rest-negative.yaml", "range-explosive-zero.yaml", "tempo-two-parts.yaml",
        "tempo-five-parts.yaml", "tempo-letters.yaml", "tempo-mapping-missing-phase.yaml", "fallback-empty.yaml",
        "fallback-after-rep-zero.yaml", "fallback-lasts-wrong.yaml", "range-mapping-phase-over-60.yaml",
        "paths-sound-unknown-cue.yaml",
    ],
)
def test_broken_presets_are_rejected_by_the_schema_too(schema: dict[str, object], name: str) -> None:
    data = yaml.safe_load((BROKEN / name).read_text(encoding="utf-8"))
    assert not validator(schema).is_valid(data), name


ROUTINES = Path(__file__).parent / "broken_routines"


@pytest.mark.parametrize(
    "name",
    [
        "keys-exercise-typo.yaml", "keys-missing-preset.yaml", "keys-preset-key-in-routine.yaml", "keys-top-typo.yaml",
        "load-word.yaml", "load-negative.yaml", "load-too-heavy.yaml", "load-unit-typo.yaml", "unit-typo.yaml",
        "superset-of-one.yaml", "superset-empty.yaml", "superset-member-rest-after.yaml", "superset-and-preset.yaml",
        "nested-superset.yaml", "warmup-no-reps.yaml", "warmup-amrap.yaml", "warmup-typo.yaml", "range-sets-zero.yaml",
        "range-reps-1000.yaml", "range-rest-negative.yaml", "range-rest-after-hours.yaml", "structure-empty-list.yaml",
        "structure-mapping.yaml", "types-item-text.yaml", "tempo-two-parts.yaml", "tempo-mapping.yaml", "ref-empty.yaml",
    ],
)
def test_broken_routines_are_rejected_by_the_schema_too(schema: dict[str, object], name: str) -> None:
    data = yaml.safe_load((ROUTINES / name).read_text(encoding="utf-8"))
    assert not validator(schema).is_valid(data), name
