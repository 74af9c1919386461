"""Sound: backends behind one small interface (simpleaudio, terminal bell, none) and WAV loading."""
