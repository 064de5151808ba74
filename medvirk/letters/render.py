"""Typeset letters as PDF with Typst, on every core, and put them together in files.

No Django here: the caller gives ``Letter`` records with every text already in place, and
gets PDF files. Letters are typeset in chunks of a few hundred, one Typst compilation each,
in worker processes; the chunks are then joined (pikepdf) into one file per batch. Memory
stays flat however many letters there are: chunks are made as the recipients are read, and
only a few are in flight at a time.

QR codes come from zxing-cpp and go into the page as a compact SVG path; the code itself is
set in DejaVu Sans Mono, the text in Atkinson Hyperlegible (designed for low vision). Both
fonts are embedded in the PDF, and the text can be extracted.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, cast

import fontpkg_atkinson_hyperlegible
import pikepdf
import typst
import zxingcpp
from PIL import Image

from .text import Block

LAYOUT = Path(__file__).resolve().parent / "layout" / "letter.typ"
FONTS = Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"
CHUNK = 250  # letters per Typst compilation and per worker process: see _compiler_for


@dataclass(frozen=True)
class Letterhead:
    name: str  # the municipality
    sender: str  # e.g. "Helse, sosial og omsorg"
    title: str  # the PDF's title
    logo: bytes | None = None  # PNG or JPEG
    logo_suffix: str = ".png"


@dataclass(frozen=True)
class Letter:
    """One recipient's letter, every text final (placeholders filled, language chosen)."""

    address: tuple[str, ...]
    date: str
    title: str
    blocks: tuple[Block, ...]
    code: str  # as printed: XXXX-XXXX
    url: str  # shown next to the code: medvirk.drammen.kommune.no/svar
    qr_url: str  # what the QR code opens, with the code filled in
    code_label: str
    url_label: str
    qr_alt: str
    closing: str
    signature_name: str
    signature_title: str
    postal_code: str = ""  # for the print shop's manifest


@dataclass
class Batch:
    """Letters that go into one file, in order."""

    path: Path
    letters: int = 0
    chunks: list[Path] = field(default_factory=list)


class LayoutError(RuntimeError):
    """Typst refused the letters (a bug in the layout, not in the user's text)."""


class DoesNotFit(ValueError):  # noqa: N818 (it is what the caller tells the user)
    """A letter needed more pages than its sheet has (``sheet_pages``)."""


def qr_svg(url: str) -> str:
    """The QR code for ``url`` as a small SVG: one path, one rectangle per run of dark modules.

    (For screens; letters use ``qr_png``, which Typst draws faster.)
    """
    width, height, modules = _qr_modules(url)
    runs = []
    for y in range(height):
        row = modules[y * width : (y + 1) * width]
        x = 0
        while x < width:
            if row[x]:
                x += 1
                continue
            start = x
            while x < width and not row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'shape-rendering="crispEdges"><path d="{"".join(runs)}"/></svg>'
    )


def qr_png(url: str) -> bytes:
    """The QR code for ``url`` as a 1-bit PNG, one pixel per module (drawn without smoothing)."""
    width, height, modules = _qr_modules(url)
    out = io.BytesIO()
    Image.frombytes("L", (width, height), modules).convert("1").save(out, format="PNG")
    return out.getvalue()


def _qr_modules(url: str) -> tuple[int, int, bytes]:
    """Width, height and one byte a module (0 dark, 255 light), without the quiet zone."""
    barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(cast(Any, barcode.to_image(scale=1, add_quiet_zones=False)))
    height, width = cast(tuple[int, int], image.shape)
    return width, height, image.tobytes()


def _data(letters: Sequence[Letter], letterhead: Letterhead, sheet_pages: int) -> str:
    """The JSON the layout reads. Bodies are sent once each: most letters share theirs."""
    bodies: dict[tuple[Block, ...], int] = {}
    records = []
    for letter in letters:
        record = asdict(letter)
        record["blocks"] = bodies.setdefault(letter.blocks, len(bodies))
        record["qr"] = list(qr_png(letter.qr_url))
        records.append(record)
    return json.dumps(
        {
            "letterhead": {
                "name": letterhead.name,
                "sender": letterhead.sender,
                "title": letterhead.title,
                "logo": ("logo" + letterhead.logo_suffix) if letterhead.logo else None,
            },
            "sheet_pages": sheet_pages,
            "bodies": [[{"kind": b.kind, "lines": list(b.lines)} for b in body] for body in bodies],
            "letters": records,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


_fonts: typst.Fonts | None = None


@contextmanager
def _compiler_for(letterhead: Letterhead) -> Iterator[typst.Compiler]:
    """A fresh compiler with the process's fonts, the layout and the logo in a scratch folder.

    Typst keeps what it computed in a cache shared by the whole process and never emptied
    by the Python binding (typst-py issue #104), so batches are typeset in short-lived
    processes (``render_files``); one letter now and then (previews) costs little.
    """
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS)])
    root = Path(tempfile.mkdtemp(prefix="medvirk-letters-"))
    try:
        (root / "letter.typ").write_bytes(LAYOUT.read_bytes())
        if letterhead.logo:
            (root / ("logo" + letterhead.logo_suffix)).write_bytes(letterhead.logo)
        yield typst.Compiler(str(root / "letter.typ"), root=str(root), font_paths=_fonts)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def preload() -> None:
    """Load the fonts before worker processes are forked from this one."""
    global _fonts
    _fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS)])


def _fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run ``function`` in a process forked for it alone, so Typst's cache dies with it."""
    with _context().Pool(processes=1, maxtasksperchild=1) as pool:
        return pool.apply(function, args)


def _context() -> Any:
    # Forked from a server process that has Typst and the fonts loaded, and no database
    # connection of the parent's: see _compiler_for.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["medvirk.letters._preload"])
    return context


def render(letters: Sequence[Letter], *, letterhead: Letterhead, sheet_pages: int = 1) -> bytes:
    """Typeset letters (in a fresh process) and return the PDF."""
    return cast(bytes, _fresh_process(render_here, list(letters), letterhead, sheet_pages))


def render_here(letters: Sequence[Letter], letterhead: Letterhead, sheet_pages: int = 1) -> bytes:
    """Typeset letters in this process (for processes that do nothing else)."""
    try:
        with _compiler_for(letterhead) as compiler:
            pdf = compiler.compile(
                format="pdf", sys_inputs={"data": _data(letters, letterhead, sheet_pages)}
            )
    except typst.TypstError as exc:
        raise LayoutError(exc.message) from exc
    return cast(bytes, pdf)


def render_png(letter: Letter, *, letterhead: Letterhead, ppi: float = 60) -> list[bytes]:
    """Every page of one letter as a PNG image, for a preview on screen."""
    return cast(list[bytes], _fresh_process(render_png_here, letter, letterhead, ppi))


def render_png_here(letter: Letter, letterhead: Letterhead, ppi: float = 60) -> list[bytes]:
    try:
        with _compiler_for(letterhead) as compiler:
            images = compiler.compile(
                format="png", ppi=ppi, sys_inputs={"data": _data([letter], letterhead, 1)}
            )
    except typst.TypstError as exc:
        raise LayoutError(exc.message) from exc
    return list(images) if isinstance(images, list) else [cast(bytes, images)]


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _render_chunk(
    letters: Sequence[Letter], letterhead: Letterhead, sheet_pages: int, path: Path
) -> int:
    """Typeset a chunk into ``path``, refusing it if any letter ran over its sheet.

    One letter too long (a long unit name or contact hours, say) would shift every letter
    after it off its sheet, so the whole print stops instead.
    """
    pdf = render_here(letters, letterhead, sheet_pages)
    pages = page_count(pdf)
    if sheet_pages == 2 and pages % 2:
        # The last letter took one side: give it its back page too, so that the chunks
        # joined after this one still start each letter on the front of a sheet.
        pdf = _with_blank_back(pdf)
        pages += 1
    if pages != len(letters) * sheet_pages:
        raise DoesNotFit(sheet_pages)
    path.write_bytes(pdf)
    return len(letters)


def _with_blank_back(pdf: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        last = document.pages[-1]
        document.add_blank_page(page_size=(float(last.mediabox[2]), float(last.mediabox[3])))
        document.save(out)
    return out.getvalue()


def _chunks(letters: Iterable[Letter], size: int) -> Iterator[list[Letter]]:
    chunk: list[Letter] = []
    for letter in letters:
        chunk.append(letter)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def render_files(
    letters: Iterable[Letter],
    *,
    letterhead: Letterhead,
    paths: Callable[[int], Path],
    batch_size: int | None = None,
    sheet_pages: int = 1,
    total: int = 0,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Batch]:
    """Typeset ``letters`` into files: one, or one per ``batch_size`` letters.

    ``paths(n)`` names batch number ``n`` (from 1). ``total`` is only for ``progress``.
    Returns the batches written, with the number of letters in each. ``processes=1``
    typesets in this process (a caller that is a short-lived process itself).
    """
    processes = processes or len(os.sched_getaffinity(0)) or 1
    work = Path(tempfile.mkdtemp(prefix="medvirk-chunks-"))
    batches: list[Batch] = []
    done = 0

    def finished(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    try:
        chunks = _numbered(_batched_chunks(letters, batch_size, batches, paths), work)
        if processes == 1:
            for chunk_letters, chunk_path in chunks:
                finished(_render_chunk(chunk_letters, letterhead, sheet_pages, chunk_path))
        else:
            # Each worker typesets one chunk only: see _compiler_for.
            with _context().Pool(processes=processes, maxtasksperchild=1) as pool:
                pending: list[AsyncResult[int]] = []
                for chunk_letters, chunk_path in chunks:
                    pending.append(
                        pool.apply_async(
                            _render_chunk, (chunk_letters, letterhead, sheet_pages, chunk_path)
                        )
                    )
                    while len(pending) > processes:  # a few chunks in flight, not all
                        finished(_result(pending.pop(0)))
                while pending:
                    finished(_result(pending.pop(0)))
        for batch in batches:
            _join(batch.chunks, batch.path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return batches


def _numbered(
    chunks: Iterator[tuple[list[Letter], Batch]], work: Path
) -> Iterator[tuple[list[Letter], Path]]:
    """Give each chunk its file in ``work`` and count it into its batch."""
    for number, (chunk_letters, batch) in enumerate(chunks, start=1):
        chunk_path = work / f"{number:06d}.pdf"
        batch.chunks.append(chunk_path)
        batch.letters += len(chunk_letters)
        yield chunk_letters, chunk_path


def _result(pending: AsyncResult[int]) -> int:
    try:
        return pending.get()
    except typst.TypstError as exc:  # pragma: no cover (re-raised from a worker)
        raise LayoutError(str(exc)) from exc


def _batched_chunks(
    letters: Iterable[Letter],
    batch_size: int | None,
    batches: list[Batch],
    paths: Callable[[int], Path],
) -> Iterator[tuple[list[Letter], Batch]]:
    """Chunks of letters, each with the batch it belongs to; a chunk never spans batches."""
    size = batch_size or 0
    current: Batch | None = None
    in_batch = 0
    chunk: list[Letter] = []
    for letter in letters:
        if current is None or (size and in_batch == size):
            if chunk and current is not None:
                yield chunk, current
                chunk = []
            current = Batch(paths(len(batches) + 1))
            batches.append(current)
            in_batch = 0
        chunk.append(letter)
        in_batch += 1
        if len(chunk) == CHUNK:
            yield chunk, current
            chunk = []
    if chunk and current is not None:
        yield chunk, current


def _join(chunks: Sequence[Path], out: Path) -> None:
    """Join chunk PDFs into ``out`` (written beside it first, then moved into place)."""
    partial = out.with_name(out.name + ".part")
    if len(chunks) == 1:
        chunks[0].replace(partial)
    else:
        with pikepdf.new() as joined:
            sources = [pikepdf.open(chunk) for chunk in chunks]
            try:
                for source in sources:
                    joined.pages.extend(source.pages)
                joined.save(partial)
            finally:
                for source in sources:
                    source.close()
    partial.replace(out)
