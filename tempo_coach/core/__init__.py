"""The pure core: tempo notation, the workout model, the phase engine, plans and cues. No YAML, SQLite, threads, Textual or audio."""
