"""The preset loader: defaults, every field, user presets shadowing shipped ones, and a fuzz that
finds no error other than the one-line PresetError."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach import paths
from tempo_coach.core.model import Fallback
from tempo_coach.core.tempo import Phase
from tempo_coach.presets import catalog
from tempo_coach.presets.loader import (
    FALLBACK_KEYS,
    PRESET_KEYS,
    PresetError,
    load_preset,
    parse_preset,
    read_preset,
    read_text,
)

HERE = Path(__file__).parent
VALID = HERE / "valid_presets"
FAKE = Path("/nonexistent-presets/fuzz.yaml")


def parse(text: str, path: Path = FAKE):
    return parse_preset(text, path)


def error_of(text: str, path: Path = FAKE) -> PresetError:
    with pytest.raises(PresetError) as caught:
        parse_preset(text, path)
    return caught.value


# ---- fields ----------------------------------------------------------------------------------------


def test_defaults_for_a_preset_with_only_a_tempo() -> None:
    preset = parse("tempo: 2-1-1-1\n")
    assert (preset.id, preset.name, preset.exercise) == ("fuzz", "", "")
    assert (preset.sets, preset.reps, preset.rest_ms, preset.get_ready_ms) == (3, 10, 90_000, 5_000)
    assert (preset.explosive_ms, preset.fallback, preset.ticks, preset.volume) == (500, None, False, 1.0)
    assert (preset.cues, preset.notes, preset.sounds, preset.source) == ({}, (), {}, FAKE)


def test_preset_id_can_be_given() -> None:
    assert parse_preset("tempo: 2-1-1-1", FAKE, "mine").id == "mine"


@pytest.mark.parametrize("written", ["amrap", "AMRAP", "Amrap", "'amrap'"])
def test_amrap_reps(written: str) -> None:
    preset = parse(f"tempo: 2-0-1-1\nreps: {written}\n")
    assert preset.reps is None
    assert preset.reps_text == "amrap"


def test_fallback_with_after_rep_and_lasts() -> None:
    preset = parse("tempo: 2-1-2-1\nfallback:\n  positive: 1\n  negative: 1.5\n  after_rep: 8\n  lasts: workout\n")
    assert preset.fallback == Fallback({Phase.POSITIVE: 1000, Phase.NEGATIVE: 1500}, after_rep=8, lasts="workout")
    assert str(preset.fallback_tempo) == "1.5-1-1-1"
    assert preset.fallback.describe(preset.tempo) == "negative 2 s → 1.5 s, positive 2 s → 1 s"


def test_fallback_defaults_to_manual_for_the_rest_of_the_set() -> None:
    fallback = parse("tempo: 2-1-2-1\nfallback: {positive: 1}\n").fallback
    assert fallback == Fallback({Phase.POSITIVE: 1000}, after_rep=None, lasts="set")


def test_fallback_of_an_explosive_phase_replaces_it() -> None:
    preset = parse("tempo: 3-1-X-0\nfallback: {positive: 2}\n")
    assert str(preset.fallback_tempo) == "3-1-2-0"


def test_cues_and_notes_as_text_or_lists() -> None:
    preset = parse(
        "tempo: 2-1-1-1\ncues:\n  general: Chest up.\n  negative: [Slowly., '  Knees out.  ']\n"
        "notes:\n  - One.\n  - |\n    Two,\n    on two lines.\n"
    )
    assert preset.cues == {"general": ("Chest up.",), "negative": ("Slowly.", "Knees out.")}
    assert preset.notes == ("One.", "Two,\non two lines.")
    assert parse("tempo: 2-1-1-1\nnotes: Just one.\n").notes == ("Just one.",)


def test_sound_paths_are_relative_to_the_preset(tmp_path: Path) -> None:
    import wave

    (tmp_path / "s").mkdir()
    with wave.open(str(tmp_path / "s" / "b.wav"), "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(8000), wav.writeframes(b"\0\0" * 10)
    preset = parse("tempo: 2-1-1-1\nsounds: {go: s/b.wav}\n", tmp_path / "p.yaml")
    assert preset.sounds == {"go": (tmp_path / "s" / "b.wav").resolve()}
    error = error_of("tempo: 2-1-1-1\nsounds: {go: s/b.wav}\n", tmp_path / "elsewhere" / "p.yaml")
    assert "no sound file at" in str(error)


def test_explosive_duration_applies_to_x_phases() -> None:
    preset = parse("tempo: 31X0\nexplosive: 0.8\n")
    assert preset.tempo.positive_ms == 800 and preset.explosive_ms == 800


def test_explosive_may_come_after_the_tempo() -> None:
    assert parse("explosive: 1\ntempo: X-0-X-0\n").tempo.rep_ms == 2000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tempo: 2-1-1-1\nrets: 3\n", "2:1: preset: unknown key 'rets'; did you mean 'sets' or 'rest'?"),
        ("tempo: 2-1-1-1\nexcercise: Squat\n", "2:1: preset: unknown key 'excercise'; did you mean 'exercise'?"),
        ("tempo: 2-1-1-1\nget-ready: 5\n", "2:1: preset: unknown key 'get-ready'; did you mean 'get_ready'?"),
        ("tempo: 2-1-1-1\ncues: {bottom: Hold.}\n", "2:8: cues: unknown key 'bottom'; did you mean 'bottom_hold'?"),
        ("tempo: 2-1-2-1\nfallback: {after: 3, positive: 1}\n", "2:12: fallback: unknown key 'after'; did you mean 'after_rep'?"),
        ("tempo: 2-1-1-1\nsounds: {tik: a.wav}\n", "2:10: sounds: unknown key 'tik'; did you mean 'tick'?"),
        ("tempo: 2-1-1-1\ncolour: red\n", "2:1: preset: unknown key 'colour'; expected one of: tempo, explosive, name"),
    ],
)
def test_did_you_mean(text: str, message: str) -> None:
    assert str(error_of(text)).startswith(f"{FAKE}:{message}")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("minimal.yaml", lambda p: str(p.tempo) == "2-1-1-1"),
        ("mapping-tempo.yaml", lambda p: str(p.tempo) == "3-0.5-X-0" and p.tempo.positive_ms == 800),
        ("amrap.yaml", lambda p: p.reps is None and p.rest_ms == 0 and p.sets == 2),
        ("compact.yaml", lambda p: str(p.tempo) == "3-1-X-0" and (p.sets, p.reps) == (4, 8)),
        ("explosive-x.yaml", lambda p: str(p.tempo) == "3-1-X-0.25" and p.tempo.positive_ms == 1500),
        ("decimals.yaml", lambda p: (p.tempo.rep_ms, p.rest_ms, p.get_ready_ms, p.volume) == (4000, 42_500, 0, 0.25)),
        ("comments.yaml", lambda p: p.fallback == Fallback({Phase.POSITIVE: 1000}, 8, "workout")),
        ("unicode-text.yaml", lambda p: p.name.endswith("\U0001F4AA") and p.cues["general"][1] == "Rücken gerade"),
        ("bom.yaml", lambda p: p.name == "With a byte-order mark"),
        ("crlf.yaml", lambda p: p.name == "CRLF line endings" and p.notes == ("first", "second")),
        ("full.yaml", lambda p: (p.sets, p.reps, p.ticks, len(p.cues), len(p.notes)) == (5, 6, True, 7, 2)),
    ],
)
def test_valid_presets_load(name: str, check) -> None:
    assert check(load_preset(VALID / name))


def test_every_valid_preset_has_a_check() -> None:
    checked = {"minimal", "mapping-tempo", "amrap", "compact", "explosive-x", "decimals", "comments", "unicode-text",
               "bom", "crlf", "full", "sounds-override"}  # sounds-override: test_broken_presets generates its WAV
    assert {p.stem for p in VALID.glob("*.yaml")} == checked


# ---- hostile values: each fault one line at its place ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ticks: !!bool maybe", "2:8: ticks: 'maybe' is not a valid !!bool value"),
        ('sets: !!int ""', "2:7: sets: '' is not a valid !!int value"),
        ('rest: !!float ""', "2:7: rest: '' is not a valid !!float value"),
        ("name: !!timestamp x", "2:7: name: 'x' is not a valid !!timestamp value"),
        ("volume: !!null 1", "2:9: volume: '1' is not a valid !!null value"),
    ],
)
def test_an_explicit_tag_with_a_value_it_cannot_have_is_one_line_at_the_value(line: str, message: str) -> None:
    assert str(error_of(f"tempo: 2-1-1-1\n{line}\n")) == f"{FAKE}:{message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tempo: !!null 2-1-1-1\n", "1:8: tempo: '2-1-1-1' is not a valid !!null value"),
        ("tempo: !!null\n", "1:8: tempo: expected text such as 2-1-1-1 or a mapping, got nothing (null)"),
        ("tempo: !!str {negative: 2, bottom_hold: 1, positive: 1, top_hold: 1}\n", "1:8: tempo: tag '!!str' cannot be put on a mapping"),
        ("tempo: !!null {negative: 2, bottom_hold: 1, positive: 1, top_hold: 1}\n", "1:8: tempo: tag '!!null' cannot be put on a mapping"),
        ("tempo: {negative: !!null 2, bottom_hold: 1, positive: 1, top_hold: 1}\n", "1:19: tempo.negative: '2' is not a valid !!null value"),
        ("tempo: {negative: !!null, bottom_hold: 1, positive: 1, top_hold: 1}\n", "1:19: tempo.negative: expected seconds or 'X', got nothing (null)"),
    ],
)
def test_null_and_str_tags_on_a_tempo_are_refused_in_either_form(text: str, message: str) -> None:
    assert str(error_of(text)) == f"{FAKE}:{message}"


@pytest.mark.parametrize("written", ["1_0", "0x1", ".inf", ".nan", "1.0e+1", "1:30", "\u0662", "!!int 1_0", "!!float .inf"])
def test_the_mapping_form_refuses_what_the_dashed_form_refuses_with_the_same_message(written: str) -> None:
    mapped = error_of(f"tempo: {{negative: 2, bottom_hold: 1, positive: {written}, top_hold: 1}}\n")
    dashed = error_of(f"tempo: 2-1-{written.split()[-1]}-1\n")
    assert mapped.message == dashed.message
    assert mapped.message.startswith(f"tempo.positive: {written.split()[-1]!r} is not a number of seconds or 'X'")
    assert (mapped.line, mapped.col) == (1, 48)  # at the phase's value; the dashed form's at the tempo


@pytest.mark.parametrize(
    ("dashed", "mapped"),
    [("2-1-61-1", "{negative: 2, bottom_hold: 1, positive: 61, top_hold: 1}"),
     ("2-1-0x3C-1", "{negative: 2, bottom_hold: 1, positive: 0x3C, top_hold: 1}"),
     ("0-0-0-0", "{negative: 0, bottom_hold: 0, positive: 0, top_hold: 0}")],
)
def test_a_fault_in_either_form_has_the_same_message(dashed: str, mapped: str) -> None:
    assert error_of(f"tempo: {dashed}\n").message == error_of(f"tempo: {mapped}\n").message


@pytest.mark.parametrize(
    ("tempo", "message"),
    [
        ("2\u20131\u20131\u20131", "tempo: cannot read tempo '2\u20131\u20131\u20131': use '-' (hyphen), not '\u2013' (en dash); accepted forms"),
        ("2-1-1", "tempo: cannot read tempo '2-1-1': a tempo has four phases (negative-bottom_hold-positive-top_hold), found 3; accepted forms"),
    ],
)
def test_a_mistyped_tempo_says_what_is_wrong(tempo: str, message: str) -> None:
    assert str(error_of(f"tempo: {tempo}\n")).startswith(f"{FAKE}:1:8: {message}")


NUMBER_FIELDS = ["sets", "reps", "rest", "get_ready", "explosive", "volume"]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("number", ["9" * 400, "9" * 5000, "0x" + "f" * 5000, "0b" + "1" * 5000, "0" + "7" * 5000, "1" + ":59" * 2000])
def test_a_huge_number_is_refused_at_its_value_without_echoing_it(field: str, number: str) -> None:
    error = error_of(f"tempo: 2-1-1-1\n{field}: {number}\n")
    assert (error.line, error.col) == (2, len(field) + 3)
    assert error.message == f"{field}: {number[:40] + '…'!r} is too long for a number ({len(number):,} characters; at most 32)"


TEXT_FIELDS = {
    "name": ("tempo: 2-1-1-1\nname: @\n", "name"),
    "exercise": ("tempo: 2-1-1-1\nexercise: @\n", "exercise"),
    "cue": ("tempo: 2-1-1-1\ncues:\n  general: @\n", "cues.general"),
    "cue list": ("tempo: 2-1-1-1\ncues:\n  rest: [ok, @]\n", "cues.rest"),
    "note": ("tempo: 2-1-1-1\nnotes:\n  - @\n", "notes"),
    "sound path": ("tempo: 2-1-1-1\nsounds: {go: @}\n", "sounds.go"),
    "key": ("tempo: 2-1-1-1\n@: 1\n", "preset"),
}


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
@pytest.mark.parametrize(("escape", "char"), [("\\x01", "\x01"), ("\\e", "\x1b"), ("\\x7f", "\x7f"), ("\\x80", "\x80"), ("\\x9b", "\x9b"), ("\\N", "\x85"), ("\\t", "\t")])
def test_a_control_character_in_any_text_is_refused_at_the_text(field: str, escape: str, char: str) -> None:
    """C0, DEL and C1, which YAML lets through as escapes in double quotes."""
    template, what = TEXT_FIELDS[field]
    text = template.replace("@", f'"a{escape}b"')
    error = error_of(text)
    at = text.index('"a')
    assert (error.line, error.col) == (text[:at].count("\n") + 1, at - text.rfind("\n", 0, at))
    assert error.message == f"{what}: control character {char!r} (U+{ord(char):04X}) in {'a' + char + 'b'!r} is not allowed"


def test_a_raw_tab_is_refused_at_the_tab_itself() -> None:
    assert str(error_of("tempo: 2-1-1-1\nnotes:\n  - Knees\tout.\n")) == f"{FAKE}:3:10: notes: control character '\\t' (U+0009) in 'Knees\\tout.' is not allowed"


def test_only_notes_may_span_lines() -> None:
    assert parse("tempo: 2-1-1-1\nnotes:\n  - |\n    Two\n    lines.\n").notes == ("Two\nlines.",)
    for field in ("name", "exercise"):
        assert str(error_of(f"tempo: 2-1-1-1\n{field}: |\n  Two\n  lines.\n")).endswith(f"{field}: a line break in 'Two\\nlines.' is not allowed here; write it on one line")


def test_after_rep_at_or_over_reps_is_a_warning_and_the_preset_still_loads() -> None:
    text = "tempo: 2-1-2-1\nreps: 8\nfallback:\n  positive: 1\n  after_rep: {}\n"
    preset, warnings = read_preset(text.format(8), FAKE)
    assert preset.fallback.after_rep == 8
    assert [str(w) for w in warnings] == [
        f"{FAKE}:5:14: warning: fallback.after_rep: 8 means reps 1-8 at the tempo and the fallback from rep 9 on, "
        "but a set has 8 reps, so it never switches on by itself (only with the f key)"
    ]
    assert read_preset(text.format(7), FAKE)[1] == []
    assert read_preset(text.format(20).replace("reps: 8", "reps: amrap"), FAKE)[1] == []


# ---- finding presets --------------------------------------------------------------------------------


def test_shipped_presets_are_found(user_dir: Path) -> None:
    entries = catalog.entries()
    assert entries[0].id == catalog.DEFAULT_PRESET
    assert {"leg-press", "leg-press-normal"} <= {e.id for e in entries}
    assert all(e.source == "shipped" and e.path.parent == paths.shipped_presets_dir() for e in entries)
    assert paths.user_presets_dir() == user_dir
    assert str(catalog.find("leg-press").tempo) == "2-1-2-1"


def test_a_user_preset_shadows_the_shipped_one(user_dir: Path) -> None:
    (user_dir / "leg-press.yaml").write_text("name: Mine\ntempo: 3-1-1-1\n")
    (user_dir / "curl.yml").write_text("tempo: 2-0-1-0\n")
    (user_dir / "readme.txt").write_text("not a preset")
    by_id = {e.id: e for e in catalog.entries()}
    assert by_id["leg-press"].source == "user" and by_id["leg-press"].path == user_dir / "leg-press.yaml"
    assert by_id["curl"].source == "user"
    assert "readme" not in by_id
    assert catalog.find("leg-press").name == "Mine"
    assert catalog.find("leg-press-normal").source == paths.shipped_presets_dir() / "leg-press-normal.yaml"


def test_a_broken_user_preset_is_reported_by_path(user_dir: Path) -> None:
    (user_dir / "leg-press.yaml").write_text("tempo: 2-1\n")
    with pytest.raises(PresetError) as caught:
        catalog.find("leg-press")
    assert str(caught.value).startswith(f"{user_dir / 'leg-press.yaml'}:1:8: tempo: cannot read tempo '2-1'")


def test_a_path_works_too(user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "legs.yaml").write_text("tempo: 4-0-1-0\n")
    (tmp_path / "noext").write_text("tempo: 5-0-1-0\n")
    assert str(catalog.find(str(tmp_path / "legs.yaml")).tempo) == "4-0-1-0"
    monkeypatch.chdir(tmp_path)
    assert str(catalog.find("legs.yaml").tempo) == "4-0-1-0"
    assert str(catalog.find("./legs.yaml").tempo) == "4-0-1-0"
    assert str(catalog.find("noext").tempo) == "5-0-1-0"


def test_an_unknown_name_lists_the_known_ones(user_dir: Path) -> None:
    with pytest.raises(catalog.UnknownPreset, match=r"no preset named 'nope'; available: leg-press, .*leg-press-normal"):
        catalog.find("nope")
    with pytest.raises(PresetError, match="cannot read: No such file"):
        catalog.find("missing.yaml")


# ---- fuzz -------------------------------------------------------------------------------------------

_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ERROR = re.compile(r"^(?P<path>.*):(?P<line>\d+):(?P<col>\d+): \S")


def assert_clean(text: str, path: Path = FAKE) -> None:
    """`parse_preset` returns a Preset or raises one PresetError with a position inside the text."""
    try:
        parse_preset(text, path)
    except PresetError as error:
        assert_error_within(error, text, path)


def assert_error_within(error: PresetError, text: str, path: Path) -> None:
    shown = str(error)
    match = _ERROR.match(shown)
    assert match and match["path"] == str(path), shown
    assert "\n" not in shown and "\r" not in shown, shown
    lines = [*_BREAKS.split(text), *text.split("\n")]
    line, col = int(match["line"]), int(match["col"])
    assert 1 <= line <= max(len(_BREAKS.split(text)), text.count("\n") + 1), shown
    assert 1 <= col <= max(len(part) for part in lines) + 1, shown


SCALARS = st.one_of(
    st.sampled_from(
        ["2-1-1-1", "31X0", "2-1", "0-0-0-0", "X", "x", "amrap", "yes", "no", "on", "~", "null", "", "''", '""',
         ".inf", "-.inf", ".nan", "0", "-1", "1e3", "1.5", "60", "61", "3600", "999", "1000", "0x10", "0o7", "1:30",
         "2024-01-01", "set", "workout", "sounds/x.wav", "/", "/dev/null", "..", "&a 1", "*a", "!!binary aGk=",
         "!!python/object:os.system x", "!tag x", "<<", "'unclosed", '"\\x07"', '"\\ud800"', "[", "{", "|", ">",
         "- 1", "? x", "%YAML 1.2", "---", "...", "#", "\t1", "a: b: c"]
    ),
    st.integers(min_value=-10, max_value=10_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
)
KEYS = st.one_of(
    st.sampled_from([*PRESET_KEYS, *FALLBACK_KEYS, "general", "go", "tick", "Sets", "temp", "rets", "<<", "1", "~", "? a"]),
    st.text(max_size=6),
)


def _node(depth: int) -> st.SearchStrategy[str]:
    """YAML-ish text for one value: a scalar, or (at depth) a block mapping or list, or flow style."""
    if depth == 0:
        return SCALARS
    inner = _node(depth - 1)
    pad = "  " * (3 - depth)
    block_map = st.lists(st.tuples(KEYS, inner), max_size=5).map(
        lambda pairs: "".join(f"\n{pad}  {k}: {v}" for k, v in pairs)
    )
    block_list = st.lists(inner, max_size=4).map(lambda items: "".join(f"\n{pad}  - {v}" for v in items))
    flow = st.lists(SCALARS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    flow_map = st.lists(st.tuples(KEYS, SCALARS), max_size=4).map(lambda p: "{" + ", ".join(f"{k}: {v}" for k, v in p) + "}")
    return st.one_of(inner, block_map, block_list, flow, flow_map)


NEAR_VALID = st.lists(st.tuples(KEYS, _node(2)), min_size=1, max_size=8).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs)
)
SPECIAL = "\t\n\r :-[]{}&*!|>'\"#%@`,?\\\x00\x07\x85\u2028\ufeff"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A near-valid preset, then a few random edits: insert, delete or replace a character, or repeat a line."""
    text = draw(st.one_of(NEAR_VALID, st.sampled_from([p.read_text(encoding="utf-8-sig") for p in VALID.glob("*.yaml")])))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        char = draw(st.one_of(st.sampled_from(SPECIAL), st.characters()))
        if edit == "insert":
            text = text[:at] + char + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "replace":
            text = text[:at] + char + text[at + 1 :]
        else:
            lines = text.splitlines(keepends=True) or [""]
            line = lines[at % len(lines)]
            text = "".join(lines[: at % len(lines)]) + line + "".join(lines[at % len(lines) :])
    return text


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text: str) -> None:
    assert_clean(text)


@FUZZ
@given(NEAR_VALID)
def test_fuzz_near_valid_yaml(text: str) -> None:
    assert_clean(text)


@FUZZ
@given(mutated())
def test_fuzz_mutated_presets(text: str) -> None:
    assert_clean(text)


@FUZZ
@given(st.dictionaries(st.sampled_from(PRESET_KEYS), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)))
def test_fuzz_dumped_data(data: dict[str, object]) -> None:
    assert_clean(yaml.safe_dump({"tempo": "2-1-1-1", **data}, allow_unicode=True))


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                 st.text(max_size=100).map(lambda t: t.encode("utf-16")),
                 st.sampled_from([p.read_bytes() for p in VALID.glob("*.yaml")]).flatmap(
                     lambda b: st.integers(0, len(b)).flatmap(lambda i: st.binary(max_size=3).map(lambda x: b[:i] + x + b[i:])))))
def test_fuzz_raw_bytes_through_read_text(scratch: Path, data: bytes) -> None:
    path = scratch / "bytes.yaml"
    path.write_bytes(data)
    try:
        text = read_text(path)
    except PresetError as error:
        assert_error_within(error, data.decode("utf-8", "replace"), path)
        return
    assert_clean(text, path)


def test_fuzz_checker_itself_rejects_bad_positions() -> None:
    """The fuzz's own check can fail: an error past the end of the text is caught."""
    with pytest.raises(AssertionError):
        assert_error_within(PresetError(FAKE, 9, 1, "x"), "tempo: 1\n", FAKE)
    with pytest.raises(AssertionError):
        assert_error_within(PresetError(FAKE, 1, 1, ""), "tempo: 1\n", FAKE)
