"""The pure core: no YAML, SQLite, threads, Textual or audio."""
