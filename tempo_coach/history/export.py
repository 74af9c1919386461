"""The history as text for `tempo-coach history`: CSV rows, JSON objects and table lines, newest
workout first, streamed a batch of workouts at a time.

Speed is the point here (a history of 100 000 workouts, 340 000 sets, prints in about a second:
bench/history_cli.py): SQLite renders each workout's sets to text in one correlated query, so
Python handles one row per workout, not a dozen values per set, and joins a batch of rows into one
write. Names (preset, tempo) are added by Python, escaped with
`printable`, so nothing from the database can drive the terminal; notes, and any unit or ending no
coach writes, are escaped by Python functions the SQL calls (rarely: most sets have no note); JSON
text has its DEL and C1 characters escaped too (SQLite, like json.dumps, escapes only C0).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Iterator
from typing import Any
from tempo_coach.core.text import plural, printable
from tempo_coach.history.store import HistoryStore, Selection, chosen_workouts

CSV_HEADER = (
    "started_at,preset,tempo,set,reps_done,reps_target,tut_s,fallback_rep,completed,"
    "ended,load,unit,bodyweight,warmup,rir,note,id,routine,exercise\n"
)
"""The first nine columns are those of the releases before loads, in the same order."""
TABLE_HEADER = ("ID", "STARTED", "PRESET", "TEMPO", "SET", "LOAD", "REPS", "TUT", "FALLBACK")
_RIGHT_ALIGNED = {0, 4, 5, 6, 7}
_SET_COLUMNS = "set_no, reps_done, reps_target, tut_s, fallback_rep, ended, load, unit, bodyweight, warmup, rir, note"
_BATCH = 500
"""Workouts a batch: one write of some 100-400 kB."""
_DEL_AND_C1 = re.compile("[\x7f-\x9f]")


def _rendered(store: HistoryStore, chosen: Selection, columns: str, set_text: str) -> Iterator[list[tuple[Any, ...]]]:
    """`columns` of each chosen workout, newest first, and its sets rendered by `set_text` (an
    aggregate over `s`, the workout's sets in order) as the last column; in batches of rows, so
    that Python joins a batch's text at once instead of a row at a time. The SQL may call
    `printable(text)` and `csv_cell(text)` (rarely: only for notes, and for values no coach writes)."""
    if store.empty:
        return
    source, where = chosen_workouts(chosen)
    ordered = f"SELECT {_SET_COLUMNS} FROM sets s WHERE s.workout_id = w.id ORDER BY s.set_no"  # only the columns used: less to copy
    with store.reading():
        _add_escapers(store)
        rows = store.conn.execute(f"SELECT {columns}, (SELECT {set_text} FROM ({ordered}) s) FROM {source} ORDER BY w.started_at DESC, w.id DESC", where)
        while batch := rows.fetchmany(_BATCH):
            yield batch


def _add_escapers(store: HistoryStore) -> None:
    store.conn.create_function("printable", 1, _escaper(), deterministic=True)
    store.conn.create_function("csv_cell", 1, _csv_escaper(), deterministic=True)


def _escaper() -> Callable[[str], str]:
    """`printable`, remembered: a history repeats the same few preset names and tempos."""
    return functools.lru_cache(maxsize=1024)(lambda text: printable(str(text)))


def _known(column: str, values: str, escape: str) -> str:
    """`column` as it is when it holds one of `values` (what the coach writes), else escaped."""
    return f"iif({column} IN ({values}), {column}, {escape}(coalesce({column}, '')))"


_ENDED = "'completed', 'ended', 'cut short'"
_UNITS = "'kg', 'lb'"
_NUMBER = "printf('%.15g', {0})"
"""A load as text: '100', '102.5' (as `core.load` writes it: loads have at most three decimals)."""
_TRUE_FALSE = "iif({0}, json('true'), json('false'))"
"""A JSON boolean (`json(...)` of a constant is worked out once per query, not once per set)."""
_COMPLETED = _TRUE_FALSE.format("s.ended = 'completed'")


# ---- CSV -------------------------------------------------------------------------------------------

_CSV_SET = (
    "group_concat(printf('%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s', s.set_no, s.reps_done, coalesce(s.reps_target, ''),"
    " round(s.tut_s, 3), coalesce(s.fallback_rep, ''), iif(s.ended = 'completed', 'true', 'false'),"
    f" {_known('s.ended', _ENDED, 'csv_cell')}, iif(s.load IS NULL, '', {_NUMBER.format('s.load')}),"
    f" iif(s.unit IS NULL, '', {_known('s.unit', _UNITS, 'csv_cell')}), iif(s.bodyweight, 'true', 'false'),"
    " iif(s.warmup, 'true', 'false'), iif(s.rir IS NULL, '', printf('%d', s.rir)), iif(s.note = '', '', csv_cell(s.note))),"
    " char(10))"
)


def csv_text(store: HistoryStore, chosen: Selection) -> Iterator[str]:
    """The header, then each workout's sets as CSV rows (one per set); chunks of whole lines."""
    yield CSV_HEADER
    cell = _csv_escaper()

    def rows(started: object, preset: object, tempo: object, workout_id: object, routine: object, exercise: object, sets: object) -> str:
        prefix = f"{started},{cell(str(preset))},{cell(str(tempo))},"
        suffix = f",{workout_id},{cell(str(routine))},{cell(str(exercise))}\n"
        return prefix + str(sets).replace("\n", suffix + prefix) + suffix

    columns = "w.started_at, w.preset, w.tempo, w.id, w.routine, w.exercise"
    for batch in _rendered(store, chosen, columns, _CSV_SET):
        yield "".join([rows(*row) for row in batch])


def _csv_escaper() -> Callable[[str], str]:
    """A name as one CSV cell: escaped for the terminal, then quoted as the csv module would."""

    def cell(text: str) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([printable(str(text))])
        return out.getvalue()

    return functools.lru_cache(maxsize=1024)(cell)


# ---- JSON ------------------------------------------------------------------------------------------

_JSON_SET = (
    "json_group_array(json_object('set', s.set_no, 'reps_done', s.reps_done, 'reps_target', s.reps_target,"
    f" 'tut_s', round(s.tut_s, 3), 'fallback_rep', s.fallback_rep, 'completed', {_COMPLETED},"
    f" 'ended', s.ended, 'load', s.load, 'unit', s.unit, 'bodyweight', {_TRUE_FALSE.format('s.bodyweight')},"
    f" 'warmup', {_TRUE_FALSE.format('s.warmup')}, 'rir', s.rir, 'note', s.note))"
)
_JSON_WORKOUT = (
    "json_object('id', w.id, 'started_at', w.started_at, 'routine', w.routine, 'preset', w.preset, 'name', w.name,"
    " 'exercise', w.exercise, 'tempo', w.tempo, 'sets_planned', w.sets_planned, 'reps_target', w.reps_target)"
)


def json_text(store: HistoryStore, chosen: Selection) -> Iterator[str]:
    """A JSON list of workouts, one a line, each with its sets (keys as in `SetRecord.as_json`)."""
    opening = "[\n"
    for batch in _rendered(store, chosen, _JSON_WORKOUT, _JSON_SET):
        text = ",\n".join([f'{workout[:-1]},"sets":{sets}}}' for workout, sets in batch])  # "sets" before the closing brace
        if not text.isascii() or "\x7f" in text:  # the quick test first: most histories are plain ASCII
            text = _DEL_AND_C1.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
        yield opening + text
        opening = ",\n"
    yield "[]\n" if opening == "[\n" else "\n]\n"


# ---- the table -------------------------------------------------------------------------------------

_TABLE_LOAD = (
    f"CASE WHEN s.load IS NULL THEN '-' WHEN NOT s.bodyweight THEN printf('%.15g %s', s.load, {_known('s.unit', _UNITS, 'printable')})"
    f" WHEN s.load = 0 THEN 'bw' ELSE printf('bw%+.15g %s', s.load, {_known('s.unit', _UNITS, 'printable')}) END"
)
"""'100 kg', 'bw', 'bw+10 kg', 'bw-20 lb'; '-': no load recorded."""
_TABLE_MARKS = (
    "iif(s.warmup OR s.ended <> 'completed' OR s.rir IS NOT NULL OR s.note <> '',"  # most sets have none
    " substr(iif(s.warmup, ' · warm-up', '') || iif(s.ended = 'completed', '', ' · ' || "
    f"{_known('s.ended', _ENDED, 'printable')}) || iif(s.rir IS NULL, '', ' · RIR ' || printf('%d', s.rir) || iif(s.rir >= 4, '+', ''))"
    " || iif(s.note = '', '', ' · ' || printable(s.note)), 4), '')"
)
"""'warm-up · cut short · RIR 2 · felt heavy': what sets this set apart."""


def table_widths(store: HistoryStore, chosen: Selection) -> tuple[int, ...]:
    """Each column's width, known before the first line is printed: the names' from the chosen
    workouts (escaped), the numbers' from the largest in the whole history (one quick pass)."""
    source, where = chosen_workouts(chosen)
    with store.reading():
        _add_escapers(store)
        named = store.conn.execute(_names_sql(chosen, source), where).fetchall()
        max_set, reps_width, tut, max_fallback = store.conn.execute(
            "SELECT max(set_no), max(length(reps_done) + coalesce(length(reps_target) + 1, 0)),"
            " printf('%.1f s', max(tut_s)), max(fallback_rep) FROM sets"
        ).fetchone()
        max_id = store.conn.execute("SELECT max(id) FROM workouts").fetchone()[0]
        load_width = store.conn.execute(  # a history has few loads: cheaper to render each once
            f"SELECT max(length({_TABLE_LOAD})) FROM (SELECT DISTINCT load, unit, bodyweight FROM sets) s"
        ).fetchone()[0]
    escape = _escaper()
    cells = (
        len(str(max_id)),
        len("2026-11-25 18:00"),
        max((len(escape(n[0])) for n in named), default=0),
        max((len(escape(n[1])) for n in named), default=0),
        len(str(max_set)),
        load_width or 0,
        reps_width or 0,
        len(str(tut)),
        1 if max_fallback is None else len(f"rep {max_fallback}"),
    )
    return tuple(max(len(h), c) for h, c in zip(TABLE_HEADER, cells))


def _names_sql(chosen: Selection, source: str) -> str:
    """The distinct (preset, tempo) of the chosen workouts. For the whole history (the usual
    case), each distinct pair is checked once for a workout with sets, rather than every workout:
    a history has few names and many workouts (0.08 -> 0.03 s at 100 000). A narrower choice is
    fast as it is (an index finds its workouts) and could have many pairs to check."""
    if chosen == Selection():
        return f"SELECT p.preset, p.tempo FROM (SELECT DISTINCT preset, tempo FROM workouts) p WHERE EXISTS (SELECT 1 FROM {source} WHERE w.preset = p.preset AND w.tempo = p.tempo)"
    return f"SELECT DISTINCT w.preset, w.tempo FROM {source}"


def table_text(store: HistoryStore, chosen: Selection) -> Iterator[str]:
    """The header, one line per set (its workout's id, start in local time, preset and tempo on
    the first), and a count of workouts and sets; nothing at all when no workout is chosen."""
    if store.empty:
        return
    widths = table_widths(store, chosen)
    escape = _escaper()
    id_w, started_w, preset_w, tempo_w, set_w, load_w, reps_w, tut_w, fallback_w = widths
    columns = "w.id, strftime('%Y-%m-%d %H:%M', w.started_at, 'localtime'), w.preset, w.tempo"
    indent = "\n" + " " * (id_w + started_w + preset_w + tempo_w + 8)  # under the first set's id, date, preset and tempo
    set_line = (  # the widths are our own integers; the lines are joined by a newline and the indent
        f"group_concat(rtrim(printf('%{set_w}d  %{load_w}s  %{reps_w}s  %{tut_w - 2}.1f s  %-{fallback_w}s  %s', s.set_no,"
        f" {_TABLE_LOAD}, s.reps_done || coalesce('/' || s.reps_target, ''), s.tut_s,"
        f" coalesce('rep ' || s.fallback_rep, '-'), {_TABLE_MARKS})), '{indent}')"
    )
    names = functools.lru_cache(maxsize=1024)(lambda preset, tempo: f"{escape(preset):<{preset_w}}  {escape(tempo):<{tempo_w}}  ")
    workouts = sets_shown = 0
    for batch in _rendered(store, chosen, columns, set_line):
        if workouts == 0:
            cells = (h.rjust(w) if i in _RIGHT_ALIGNED else h.ljust(w) for i, (h, w) in enumerate(zip(TABLE_HEADER, widths)))
            yield "  ".join(cells).rstrip() + "\n"
        text = "".join([f"{wid:>{id_w}}  {started}  {names(preset, tempo)}{sets}\n" for wid, started, preset, tempo, sets in batch])
        workouts += len(batch)
        sets_shown += text.count("\n")  # one line a set: names and notes are escaped, a time has no newline
        yield text
    if workouts:
        yield f"{plural(workouts, 'workout')}, {plural(sets_shown, 'set')}\n"
