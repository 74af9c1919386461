"""Opening the history file: only a regular file that SQLite calls damaged is ever moved aside; a
folder, a FIFO, a device or another program's database is refused and left exactly as it was; the
read-only `history` command and the history screen never move or create anything, and can read a
history in a read-only folder (a read-only bind mount in a private mount namespace: as root, chmod
does not stop anyone)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryError, HistoryStore
from tempo_coach.tui.screens.history import load_history

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), exercise="Leg press", sets=3, reps=12)
DAY = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)


def a_set(n: int) -> SetCompleted:
    return SetCompleted(set=n, reps_done=12, reps_target=12, tut=72.0, fallback_rep=None, completed=True, at=float(n))


def fill(path: Path, workouts: int = 2) -> None:
    with HistoryStore.open(path) as store:
        for day in range(workouts):
            wid = store.start_workout(LEG_PRESS, DAY + timedelta(days=day))
            store.save_set(wid, a_set(1))


def history_cli(capsys: pytest.CaptureFixture[str], path: Path | str, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["history", "--history", str(path), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# ---- what is not a regular file is refused, untouched --------------------------------------------


def test_a_folder_given_as_the_history_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "history.sqlite3"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore.open(folder)
    code, out, err = history_cli(capsys, folder)
    assert code == 1 and out == ""
    assert err == f"tempo-coach: error: history: {folder} is a folder, not a workout history\n"
    assert folder.is_dir() and (folder / "keep.txt").read_text() == "mine"
    assert siblings(folder) == ["history.sqlite3"]


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "history.sqlite3"
    os.mkfifo(fifo)
    with pytest.raises(HistoryError, match="is a FIFO"):
        HistoryStore.open(fifo)  # opening a FIFO would wait for a writer forever
    assert history_cli(capsys, fifo)[0] == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and siblings(fifo) == ["history.sqlite3"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_like_dev_null_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own, safe to lose
    code, _, err = history_cli(capsys, null)
    assert code == 1 and "is a device, not a workout history" in err
    with pytest.raises(HistoryError, match="is a device"):
        HistoryStore.open(null)
    assert stat.S_ISCHR(null.lstat().st_mode) and siblings(null) == ["null"]


def test_a_symlink_to_a_damaged_file_is_not_moved(tmp_path: Path) -> None:
    target = tmp_path / "real.sqlite3"
    target.write_bytes(b"not a database\n" * 200)
    link = tmp_path / "history.sqlite3"
    link.symlink_to(target)
    with pytest.raises(HistoryError, match="damaged"):
        HistoryStore.open(link)
    assert link.is_symlink() and target.read_bytes() == b"not a database\n" * 200
    assert siblings(link) == ["history.sqlite3", "real.sqlite3"]


def test_a_symlink_to_a_good_history_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "real.sqlite3"
    fill(target)
    link = tmp_path / "history.sqlite3"
    link.symlink_to(target)
    code, out, _ = history_cli(capsys, link, "--csv")
    assert code == 0 and len(out.splitlines()) == 3


def test_another_programs_database_is_refused_not_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
    before = other.read_bytes()
    with pytest.raises(HistoryError, match="not a workout history"):
        HistoryStore.open(other)
    code, _, err = history_cli(capsys, other)
    assert code == 1 and "not a workout history" in err
    assert other.read_bytes() == before and siblings(other) == ["places.sqlite"]


def test_file_names_in_errors_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "evil\x1b]0;pwned\x07name"
    folder.mkdir()
    code, _, err = history_cli(capsys, folder)
    assert code == 1 and "\x1b" not in err and "\x07" not in err
    assert "evil\\x1b]0;pwned\\x07name is a folder" in err


def test_a_path_too_long_for_the_system_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = history_cli(capsys, tmp_path / ("h" * 300))
    assert code == 1 and out == ""
    assert err.startswith("tempo-coach: error: history: cannot read ") and err.count("\n") == 1
    with pytest.raises(HistoryError, match="too long"):
        HistoryStore.open(tmp_path / ("h" * 300))


def test_an_empty_history_path_is_a_clear_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["history", "--history", ""])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == "tempo-coach history: error: argument --history: the path is empty\n"


# ---- damaged files: the writer moves them aside, readers never do --------------------------------


def test_the_history_command_reports_a_damaged_file_and_leaves_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"this is not sqlite\n" * 500)
    code, out, err = history_cli(capsys, db)
    assert code == 1 and out == ""
    assert err.startswith(f"tempo-coach: error: history: {db} is damaged (file is not a database)")
    assert "the next workout moves it aside" in err and err.count("\n") == 1
    assert siblings(db) == ["history.sqlite3"] and db.read_bytes() == b"this is not sqlite\n" * 500


def test_the_history_screen_reports_a_damaged_file_and_leaves_it(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"\x00garbage" * 800)
    data = load_history(db)
    assert data.error is not None and "damaged" in data.error
    assert siblings(db) == ["history.sqlite3"]


def test_readers_create_nothing_for_a_missing_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "not-yet" / "history.sqlite3"
    code, out, err = history_cli(capsys, db)
    assert (code, out) == (0, "no workouts recorded\n") and "no workout history yet" in err
    assert not load_history(db).exists
    assert not db.parent.exists()


def test_reading_leaves_no_wal_or_shm_files_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    fill(db)
    assert history_cli(capsys, db)[0] == 0
    load_history(db)
    assert siblings(db) == ["history.sqlite3"]


def test_an_empty_file_reads_as_an_empty_history_and_stays_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    db.touch()
    assert history_cli(capsys, db, "--json")[:2] == (0, "[]\n")
    assert db.stat().st_size == 0 and siblings(db) == ["history.sqlite3"]


# ---- a history in a read-only folder ---------------------------------------------------------------

_UNSHARE = shutil.which("unshare")


def run_in_read_only_folder(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`tempo-coach ARGV` with `folder` bind-mounted read-only over itself, in a private user and mount
    namespace (nothing outside the child sees the mount; as root, chmod would not stop the writes)."""
    command = " ".join(
        [
            f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' '{folder}' &&",
            f"exec '{sys.executable}' -m tempo_coach",
            *(f"'{arg}'" for arg in argv),
        ]
    )
    return subprocess.run([str(_UNSHARE), "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=60)


def read_only_mounts_work(tmp: Path) -> bool:
    if _UNSHARE is None:
        return False
    probe = subprocess.run([_UNSHARE, "-rm", "sh", "-c", f"mount --bind '{tmp}' '{tmp}' && mount -o remount,bind,ro '{tmp}' '{tmp}'"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture
def read_only(tmp_path: Path) -> Path:
    if not read_only_mounts_work(tmp_path):
        pytest.skip("needs unshare and user namespaces for a read-only bind mount")
    return tmp_path


def test_a_history_in_a_read_only_folder_can_be_read(read_only: Path) -> None:
    db = read_only / "history.sqlite3"
    fill(db, workouts=3)
    assert siblings(db) == ["history.sqlite3"]  # a clean WAL database: no -wal or -shm to lean on
    shown = run_in_read_only_folder(read_only, "history", "--csv", "--history", str(db))
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == 4 and shown.stderr == ""
    assert siblings(db) == ["history.sqlite3"]


def test_a_read_only_history_file_can_be_read_and_nothing_is_left_beside_it(read_only: Path) -> None:
    db = read_only / "history.sqlite3"
    fill(db, workouts=2)
    command = f"mount --bind '{db}' '{db}' && mount -o remount,bind,ro '{db}' '{db}' && exec '{sys.executable}' -m tempo_coach history --json --history '{db}'"
    shown = subprocess.run([str(_UNSHARE), "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)) == 2
    assert siblings(db) == ["history.sqlite3"]  # no -shm or -wal left by the reader


CRASHED_WRITER = """
import os, sys
from datetime import UTC, datetime
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore
store = HistoryStore.open(sys.argv[1])
wid = store.start_workout(Preset(id="crashed", tempo=parse_tempo("1-0-1-0"), sets=1, reps=5), datetime(2026, 11, 1, tzinfo=UTC))
store.save_set(wid, SetCompleted(1, 5, 5, 10.0, None, True, 1.0))
os._exit(0)  # as kill -9 would: the set is only in the -wal file
"""


def test_a_crashed_history_in_a_read_only_folder_shows_the_sets_in_its_wal(read_only: Path) -> None:
    db = read_only / "history.sqlite3"
    fill(db, workouts=1)
    subprocess.run([sys.executable, "-c", CRASHED_WRITER, str(db)], check=True, timeout=60)
    assert "history.sqlite3-wal" in siblings(db)
    shown = run_in_read_only_folder(read_only, "history", "--csv", "--history", str(db))
    assert shown.returncode == 0, shown.stderr
    assert sorted(line.split(",")[1] for line in shown.stdout.splitlines()[1:]) == ["crashed", "leg-press"]


def test_a_wal_without_its_shm_in_a_read_only_folder_is_read_and_the_gap_said(read_only: Path) -> None:
    db = read_only / "history.sqlite3"
    fill(db, workouts=1)
    subprocess.run([sys.executable, "-c", CRASHED_WRITER, str(db)], check=True, timeout=60)
    (read_only / "history.sqlite3-shm").unlink()  # SQLite cannot rebuild it in a read-only folder
    shown = run_in_read_only_folder(read_only, "history", "--csv", "--history", str(db))
    assert shown.returncode == 0, shown.stderr
    assert [line.split(",")[1] for line in shown.stdout.splitlines()[1:]] == ["leg-press"]
    assert "read-only folder; the latest sets, in its -wal file, may be missing" in shown.stderr


def test_the_recorder_cannot_write_a_read_only_history_and_says_so(read_only: Path) -> None:
    db = read_only / "history.sqlite3"
    fill(db, workouts=1)
    before = db.read_bytes()
    script = (
        "import sys; from pathlib import Path; from tempo_coach.history import HistoryStore, HistoryError\n"
        "try:\n    HistoryStore.open(Path(sys.argv[1]))\nexcept HistoryError as e:\n    print(e)\n"
    )
    command = f"mount --bind '{read_only}' '{read_only}' && mount -o remount,bind,ro '{read_only}' '{read_only}' && exec '{sys.executable}' -c '{script}' '{db}'"
    result = subprocess.run([str(_UNSHARE), "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert "read-only" in result.stdout, result.stdout + result.stderr
    assert db.read_bytes() == before and siblings(db) == ["history.sqlite3"]
