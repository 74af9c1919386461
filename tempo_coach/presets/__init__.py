"""Presets on disk: the YAML loader with path:line:col errors, the catalogue of preset folders, the user config, the JSON Schema."""
