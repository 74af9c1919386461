"""The workout history: the SQLite store, its migrations and the recorder that saves each set."""
