"""Render the handbook into pages: Jinja templates (autoescaped), navigation and the
build-time calculator views."""
