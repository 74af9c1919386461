"""Routine files: read into `core.routine.Routine`, told apart from presets, listed and checked.

tests/broken_routines holds one file per fault, and expected.yaml the line of each, checked by the
real `tempo-coach check` the way a lifter runs it (as tests/test_broken_presets.py does for presets).
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from cli_runner import assert_error_at, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach import paths
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.overrides import Overrides
from tempo_coach.core.routine import WarmupSet, block_plans
from tempo_coach.presets import catalog, yaml_nodes
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.presets.routine_loader import EXERCISE_KEYS, load_routine, parse_routine

BROKEN = Path(__file__).parent / "broken_routines"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
SHIPPED = paths.shipped_presets_dir()


def shipped(name: str):
    return load_preset(SHIPPED / f"{name}.yaml")


def routine_file(folder: Path, text: str, name: str = "r.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- the broken corpus, through the real command ------------------------------------------------


def test_the_corpus_covers_every_class_of_the_issue() -> None:
    files = {p.name for p in BROKEN.iterdir() if p.is_file() and p.name != "expected.yaml"}
    assert files == set(EXPECTED)
    # unknown preset, bad load, unit typo, superset of one, nested routine, warm-up with no reps
    for name in ("ref-unknown-preset", "load-word", "unit-typo", "superset-of-one", "nested-routine-by-name", "warmup-no-reps"):
        assert f"{name}.yaml" in files


@pytest.fixture(scope="module")
def checked() -> dict[str, subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(sorted(EXPECTED), pool.map(lambda name: run_cli("check", name, cwd=BROKEN), sorted(EXPECTED))))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_routine_gives_one_clean_line(name: str, checked: dict[str, subprocess.CompletedProcess[str]]) -> None:
    line = assert_error_at(checked[name], name, EXPECTED[name])
    assert "\x1b" not in line


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_pure_python_parser_gives_the_same_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(BROKEN / "no-user-config"))
    monkeypatch.chdir(BROKEN)
    monkeypatch.setattr(yaml_nodes, "_EventLoader", yaml.SafeLoader)
    error, _ = catalog.check_file(Path(name))
    assert error is not None and (error.line, error.col) == (EXPECTED[name]["line"], EXPECTED[name]["col"]), str(error)
    assert str(EXPECTED[name]["phrase"]) in error.message


# ---- what a valid routine reads as --------------------------------------------------------------


FULL = """\
name: Mine
exercises:
  - preset: leg-press
    sets: 4
    reps: 10
    rest: 150
    tempo: 3-1-2-1
    load: 100
    warmup: [{reps: 12, load: 40}, {reps: 8}]
    rest_after: 240
  - superset:
      - {preset: goblet-squat, load: 24, unit: lb}
      - {preset: push-up, reps: 12, load: bw+10}
    rest: 60
    rest_after: 30
  - preset: romanian-deadlift
"""


def test_a_routine_reads_as_blocks_of_exercises(user_dir: Path, tmp_path: Path) -> None:
    routine = load_routine(routine_file(tmp_path, FULL, "mine.yaml"))
    assert (routine.id, routine.title, len(routine.blocks)) == ("mine", "Mine", 3)
    press, pair, deadlift = routine.blocks
    exercise = press.exercises[0]
    expected = Overrides(sets=4, reps=10, rest_ms=150_000, tempo="3-1-2-1").apply(shipped("leg-press"))
    assert exercise.preset == expected  # the routine's numbers as --sets and the others apply them
    assert exercise.load == Load(100.0, Unit.KG)
    assert exercise.warmup == (WarmupSet(12, Load(40.0, Unit.KG)), WarmupSet(8, None))
    assert (exercise.rest_after_ms, press.superset) == (240_000, False)
    assert pair.superset and (pair.rest_ms, pair.rest_after_ms) == (60_000, 30_000)
    squat, push = pair.exercises
    assert (squat.load, squat.preset.unit) == (Load(24.0, Unit.LB), Unit.LB)
    assert (push.load, push.preset.reps) == (Load(10.0, Unit.KG, bodyweight=True), 12)
    assert deadlift.exercises[0].preset == shipped("romanian-deadlift")
    assert [plan.label for plan in block_plans(press)] == ["Warm-up 1/2", "Warm-up 2/2", "Set 1/4", "Set 2/4", "Set 3/4", "Set 4/4"]


def test_loads_without_a_unit_take_the_default_unit(user_dir: Path, tmp_path: Path) -> None:
    text = "exercises:\n  - {preset: leg-press, load: 225, warmup: [{reps: 5, load: 135}]}\n"
    exercise = load_routine(routine_file(tmp_path, text), default_unit=Unit.LB).blocks[0].exercises[0]
    assert exercise.load == Load(225.0, Unit.LB) and exercise.warmup[0].load == Load(135.0, Unit.LB)
    text = "exercises:\n  - {preset: leg-press, unit: lb, load: 225}\n"
    assert load_routine(routine_file(tmp_path, text)).blocks[0].exercises[0].load == Load(225.0, Unit.LB)


def test_a_relative_path_is_relative_to_the_routine_not_the_working_folder(
    user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    (folder / "mine").mkdir(parents=True)
    (folder / "mine" / "curl.yaml").write_text("name: Curl\ntempo: 2-0-1-0\n")
    path = routine_file(folder, "exercises:\n  - preset: mine/curl.yaml\n  - preset: mine/curl.yaml\n    sets: 5\n")
    monkeypatch.chdir(tmp_path)
    curl, curl_again = (block.exercises[0].preset for block in load_routine(path).blocks)
    assert curl.name == "Curl" and (curl.sets, curl_again.sets) == (3, 5)


def test_a_name_finds_the_lifters_own_preset_first(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "push-up.yaml").write_text("name: My push-ups\ntempo: 3-0-1-0\n")
    routine = parse_routine("exercises:\n  - preset: push-up\n", tmp_path / "r.yaml")
    assert routine.blocks[0].exercises[0].preset.name == "My push-ups"


def test_a_preset_that_the_lifter_broke_is_an_error_at_the_routines_line(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "push-up.yaml").write_text("tempo: 2-0-1-0\nsets: 0\n")
    with pytest.raises(PresetError) as caught:
        parse_routine("name: x\nexercises:\n  - preset: push-up\n", tmp_path / "r.yaml")
    assert str(caught.value) == f"{tmp_path / 'r.yaml'}:3:13: preset 'push-up': {user_dir / 'push-up.yaml'}:2:7: sets: 0 is out of range (1 to 99)"


# ---- the shipped routines --------------------------------------------------------------------------


SHIPPED_ROUTINES = sorted(p.name for p in SHIPPED.glob("*.yaml") if "exercises:" in p.read_text(encoding="utf-8"))


def test_routines_are_shipped() -> None:
    assert {"leg-day.yaml", "squat-push-superset.yaml"} <= set(SHIPPED_ROUTINES)


@pytest.mark.parametrize("name", SHIPPED_ROUTINES)
def test_every_shipped_routine_loads_and_lists_only_shipped_presets(name: str, user_dir: Path) -> None:
    routine = load_routine(SHIPPED / name)
    assert routine.name
    for block in routine.blocks:
        for exercise in block.exercises:
            assert exercise.preset.source is not None and exercise.preset.source.parent == SHIPPED
            assert exercise.preset.cues == shipped(exercise.preset.id).cues  # form cues only from shipped presets
        assert block_plans(block)


def test_leg_day_is_the_leg_press_with_its_fallback_and_warm_ups_then_two_more(user_dir: Path) -> None:
    routine = catalog.find_routine("leg-day")
    first, *others = routine.blocks
    press = first.exercises[0]
    assert press.preset.id == "leg-press" and press.preset.fallback is not None and press.warmup
    assert len(others) == 2 and all(b.exercises[0].preset.id != "leg-press" for b in others)
    assert all(b.exercises[0].rest_after_ms is not None for b in routine.blocks[:-1])


def test_the_shipped_superset_alternates_two_presets(user_dir: Path) -> None:
    (block,) = catalog.find_routine("squat-push-superset").blocks
    assert block.superset and len(block.exercises) == 2
    names = [plan.exercise for plan in block_plans(block)]
    assert names[:4] == ["Goblet squat", "Push-up", "Goblet squat", "Push-up"]


# ---- the catalog --------------------------------------------------------------------------------


def test_the_catalog_keeps_routines_apart_from_presets(user_dir: Path) -> None:
    presets, routines = {e.id for e in catalog.entries()}, {e.id for e in catalog.routines()}
    assert "leg-day" in routines and "leg-day" not in presets and "leg-press" in presets
    assert catalog.entries()[0].id == catalog.DEFAULT_PRESET
    with pytest.raises(catalog.UnknownPreset, match="^'leg-day' is a routine, not a preset$"):
        catalog.find("leg-day")
    with pytest.raises(catalog.UnknownPreset, match="^'leg-press' is a preset, not a routine$"):
        catalog.find_routine("leg-press")
    with pytest.raises(catalog.UnknownPreset, match="is a routine, not a preset"):
        catalog.find(str(SHIPPED / "leg-day.yaml"))
    assert catalog.find_workout("leg-day").title == "Leg day"
    assert catalog.find_workout("leg-press").id == "leg-press"
    assert catalog.names_routine("leg-day") and not catalog.names_routine("leg-press")


def test_a_misspelt_routine_gets_did_you_mean(user_dir: Path) -> None:
    with pytest.raises(catalog.UnknownPreset, match=r"^no routine named 'leg-dya'; did you mean 'leg-day'\? available: leg-day, "):
        catalog.find_routine("leg-dya")
    with pytest.raises(catalog.UnknownPreset, match=r"^no preset named 'leg-dya'; did you mean 'leg-day'\?"):
        catalog.find_workout("leg-dya")


def test_a_user_routine_shadows_the_shipped_one_and_a_missing_path_says_so(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "leg-day.yaml").write_text("name: My legs\nexercises:\n  - preset: push-up\n")
    assert catalog.find_routine("leg-day").title == "My legs"
    with pytest.raises(PresetError, match="cannot read"):
        catalog.find_routine(str(tmp_path / "nothing.yaml"))


def test_a_broken_routine_stays_a_routine(user_dir: Path) -> None:
    """A routine YAML cannot read is listed (and refused) as a routine, not as a broken preset."""
    (user_dir / "broken.yaml").write_text("name: x\nexercises:\n  - {preset: push-up\n")
    assert "broken" in {e.id for e in catalog.routines()} and "broken" not in {e.id for e in catalog.entries()}
    with pytest.raises(PresetError, match="YAML syntax"):
        catalog.find_routine("broken")


# ---- the command line ------------------------------------------------------------------------------


def test_presets_lists_routines_under_their_own_heading(tmp_path: Path) -> None:
    folder = tmp_path / "tempo-coach" / "presets"
    folder.mkdir(parents=True)
    (folder / "bad-day.yaml").write_text("exercises:\n  - preset: nope\n")
    (folder / "press-only.yaml").write_text("exercises:\n  - preset: leg-press\n")
    (folder / "open.yaml").write_text("exercises:\n  - preset: push-up\n")
    (folder / "marathon.yaml").write_text("exercises:\n  - {preset: leg-press, sets: 99, reps: 999}\n")
    result = run_cli("presets", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert (result.returncode, result.stderr) == (0, "")
    presets, routines, _footer = result.stdout.split("\n\n")
    assert "leg-day" not in presets
    header, *rows = routines.splitlines()
    assert header.split() == ["ROUTINE", "EXERCISES", "SETS", "TIME", "SOURCE"]
    by_name = {row.split()[0]: row for row in rows}
    assert "Leg press ×3 (+2 warm-up), Romanian deadlift ×3, Goblet squat ×3" in by_name["leg-day"]
    assert re.search(r"\s11\s+\d+:\d\d\s+shipped \(", by_name["leg-day"])
    assert "superset: Goblet squat ×3 + Push-up ×3" in by_name["squat-push-superset"]
    assert "invalid" in by_name["bad-day"] and f"{folder / 'bad-day.yaml'}:2:13: preset: no preset named 'nope'" in by_name["bad-day"]
    assert re.search(r"\s3\s+amrap\s+user", by_name["open"])
    assert "> 5000 reps" in by_name["marathon"]
    # a routine of one preset takes as long as the preset's own plan
    planned = re.search(r"^total (\d+):(\d\d\.\d\d),", run_cli("plan", "leg-press").stdout, re.M)
    assert planned is not None
    minutes, seconds = divmod(round(int(planned[1]) * 60 + float(planned[2])), 60)
    assert re.search(rf"\s3\s+{minutes}:{seconds:02d}\s+user", by_name["press-only"])


def test_check_takes_presets_and_routines_together() -> None:
    files = [str(SHIPPED / "leg-day.yaml"), str(SHIPPED / "leg-press.yaml"), str(BROKEN / "superset-of-one.yaml")]
    result = run_cli("check", *files)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{files[0]}: ok", f"{files[1]}: ok"]
    assert result.stderr.startswith(f"{files[2]}:3:7: superset: needs two or more exercises")


# ---- hostile values -------------------------------------------------------------------------------


HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["9" * 400, "0x" + "f" * 5000, ".nan", "-.inf", "1e999", "٣", "2–1–1–1", "[b]x[/b]", "\x1b[2J", "bw+", "bw+1e3"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from([k for k in EXERCISE_KEYS if k not in ("preset", "warmup")] + ["warmup.reps", "warmup.load"]), value=HOSTILE)
def test_a_hostile_value_in_any_field_is_one_short_line(key: str, value: str, tmp_path: Path) -> None:
    quoted = yaml.safe_dump(value, default_style='"', width=10**6).strip()
    field = f"warmup: [{{{key.split('.')[1]}: {quoted}}}]" if key.startswith("warmup.") else f"{key}: {quoted}"
    try:
        parse_routine(f"exercises:\n  - preset: {SHIPPED / 'push-up.yaml'}\n    {field}\n", tmp_path / "r.yaml")
    except PresetError as error:
        line = str(error)
        assert "\n" not in line and len(line) < 400 and "\x1b" not in line, line


def test_a_preset_listed_under_many_spellings_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`p.yaml`, `d/../p.yaml`, ... each read the (up to 1 MB) preset again: 50 spellings of the
    worst valid preset took 50 times as long to check."""
    from tempo_coach.presets import routine_loader

    (tmp_path / "d").mkdir()
    (tmp_path / "p.yaml").write_text("tempo: 2-1-1-1\n")
    reads: list[Path] = []
    monkeypatch.setattr(routine_loader, "load_preset", lambda path, **kw: reads.append(path) or load_preset(path, **kw))
    spellings = ["p.yaml", "d/../p.yaml", "./d/../d/../p.yaml", str(tmp_path / "p.yaml")]
    routine = load_routine(routine_file(tmp_path, "exercises:\n" + "".join(f"  - preset: {s}\n" for s in spellings)))
    assert len(routine.blocks) == 4 and len(reads) == 1


def test_the_readmes_routine_example_is_a_valid_routine(user_dir: Path, tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Routines") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```", section.index("```yaml\n") + 8)]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "curl.yaml").write_text("tempo: 2-0-1-0\n")
    (tmp_path / "routines").mkdir()
    routine = load_routine(routine_file(tmp_path / "routines", example))
    assert [block.name for block in routine.blocks] == ["Leg press", "curl", "Goblet squat + Push-up"]
