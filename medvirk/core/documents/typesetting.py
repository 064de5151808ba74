"""Typst compilation in worker processes, with the fonts every document uses.

Typst keeps what it computed in a cache shared by the whole process and never emptied by
the Python binding (typst-py issue #104), so documents are typeset in processes forked for
the purpose (``fresh_process``, or a pool from ``context``) and the cache dies with them.
The processes are forked from a server that has Typst and the fonts loaded already, and no
database connection of the parent's.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import fontpkg_atkinson_hyperlegible
import typst

FONTS = Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"

_fonts: typst.Fonts | None = None


def fonts() -> typst.Fonts:
    """The fonts, loaded once per process: Atkinson Hyperlegible and DejaVu Sans Mono."""
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS)])
    return _fonts


def preload() -> None:
    """Load the fonts before worker processes are forked from this one."""
    global _fonts
    _fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS)])


def context() -> Any:
    """The multiprocessing context worker processes are made from."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(["medvirk.core.documents._preload"])
    return forkserver


def fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run ``function`` in a process forked for it alone, so Typst's cache dies with it."""
    with context().Pool(processes=1, maxtasksperchild=1) as pool:
        return pool.apply(function, args)


def typeset_document(layout: Path, data: Mapping[str, Any]) -> bytes:
    """Typeset one document (a report, a council's papers) from its Typst layout and its data
    as JSON (``sys.inputs.data``), in a process forked for it. Raises typst.TypstError.

    typst.compile itself is what the fresh process runs: a function of another module would
    have the process import Django.
    """
    folder = Path(tempfile.mkdtemp(prefix="medvirk-document-"))
    try:
        (folder / layout.name).write_bytes(layout.read_bytes())
        job = functools.partial(
            typst.compile,
            str(folder / layout.name),
            root=str(folder),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False, separators=(",", ":"))},
        )
        return cast(bytes, fresh_process(job))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
