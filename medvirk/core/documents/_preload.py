"""Imported by the document engine's fork server (see typesetting.context): fonts loaded once."""

from .typesetting import preload

preload()
