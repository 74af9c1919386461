"""The workout history: the SQLite store (`store`), how its file is opened (`files`), its schema
(`schema`), what it holds (`records`), the recorder that saves each set as it ends (`recorder`) and
keeps in a file what it could not save (`unsaved`), and the history as CSV, JSON or a table (`export`)."""

from tempo_coach.history.records import SetRecord, WorkoutRecord
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore

__all__ = ["HistoryError", "HistoryStore", "SetRecord", "WorkoutRecord"]
# The recorder (`history.recorder.Recorder`) is the coach's alone: reading commands do not import it.
