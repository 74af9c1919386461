"""Small widgets the coach screens are built from; each updates itself only when its value changes."""
