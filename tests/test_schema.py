"""The published JSON Schema: valid JSON, in step with the loader, accepts the shipped presets."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from cli_runner import run_cli

from tempo_coach import paths
from tempo_coach.presets.loader import FALLBACK_KEYS, PRESET_KEYS

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
    assert set(schema["properties"]) == set(PRESET_KEYS) and len(PRESET_KEYS) == len(set(PRESET_KEYS))
    assert set(schema["properties"]["fallback"]["properties"]) == set(FALLBACK_KEYS)
    assert schema["required"] == ["tempo"] and schema["additionalProperties"] is False


@pytest.mark.parametrize("preset", sorted(p.name for p in paths.shipped_presets_dir().glob("*.yaml")))
def test_every_shipped_preset_validates(schema: dict[str, object], preset: str) -> None:
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
