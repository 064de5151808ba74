"""Imported by the letters' fork server (see render.render_files): fonts loaded once."""

from .render import preload

preload()
