"""Typeset letters as PDF with Typst, on every core, and put them together in files.

No Django here: the caller gives ``Letter`` records with every text already in place, and
gets PDF files. Letters are typeset in chunks of a few hundred in worker processes; the
chunks are then joined (pikepdf) into one file per batch. Memory stays flat however many
letters there are: chunks are made as the recipients are read, and only a few are in
flight at a time.

Most letters of a round share their text and differ only in address, code and QR code. So
each text (a "variant": one per unit, audience and language) is laid out once as a
template, and each chunk is one Typst compilation of just the recipients' own parts, laid
over their template, which goes into the file once (see layout/letter.typ). Letters whose
text names the recipient are set whole.

QR codes are made a chunk at a time (core.documents.qr) and go into the page as 1-bit PNG
images; the code itself is set in DejaVu Sans Mono, the text in Atkinson Hyperlegible
(designed for low vision). Both fonts are embedded in the PDF, and the text can be
extracted.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, cast

import pikepdf
import typst

from medvirk.core.documents import pdf as pdf_files
from medvirk.core.documents import qr, typesetting

from .text import Block

LAYOUT = Path(__file__).resolve().parent / "layout" / "letter.typ"
CHUNK = 500  # letters per Typst compilation
# Chunks a worker process typesets before a fresh one takes over: Typst's cache grows with
# every compilation (see _compiler_for), by some 15 MB a chunk of overlays, and a fresh
# process pays a good part of a second to warm up again.
CHUNKS_PER_PROCESS = 16


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
    code: str  # as printed: XXXX-XXXX-XXXX (XXXX-XXXX in older rounds)
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


class DoesNotFit(ValueError):
    """A letter needed more pages than its sheet has (``sheet_pages``)."""


def _data(
    letters: Sequence[Letter],
    letterhead: Letterhead,
    sheet_pages: int,
    *,
    mode: str = "full",
    slots: Mapping[str, Mapping[str, Any]] | None = None,
    keys: Sequence[str] | None = None,
) -> str:
    """The JSON the layout reads (see layout/letter.typ for the modes).

    Bodies are sent once each: most letters share theirs. A template needs no QR code and
    an overlay no body, so neither is sent where it is not used. ``keys`` are the letters'
    variants, where the caller has them already.
    """
    bodies: dict[tuple[Block, ...], int] = {}
    records: list[dict[str, Any]] = []
    if mode != "full" and keys is None:
        keys = [variant(letter) for letter in letters]
    pngs = qr.pngs([letter.qr_url for letter in letters]) if mode != "template" else []
    for number, letter in enumerate(letters):
        if mode == "overlay":
            key = cast(Sequence[str], keys)[number]
            record: dict[str, Any] = {
                "address": letter.address,
                "code": letter.code,
                "qr_alt": letter.qr_alt,
                "template": f"template-{key}.pdf",
                "template_pages": (slots or {})[key]["pages"],
                "slots": (slots or {})[key]["slots"],
            }
        else:
            record = asdict(letter)
            record["blocks"] = bodies.setdefault(letter.blocks, len(bodies))
        if mode == "template":
            record["variant"] = cast(Sequence[str], keys)[number]
        else:
            record["qr"] = list(pngs[number])
        records.append(record)
    return json.dumps(
        {
            "mode": mode,
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


# What a letter has of its own; everything else it shares with the letters of its variant.
_OWN = ("address", "code", "qr_url", "postal_code")
_SHARED = tuple(f.name for f in fields(Letter) if f.name not in _OWN)


def variant(letter: Letter) -> str:
    """A name for the letters that differ from this one only in address, code and QR code.

    The same in every process (unlike ``hash``): worker processes name templates with it.
    """
    shared = repr(tuple(getattr(letter, name) for name in _SHARED))
    return hashlib.blake2b(shared.encode(), digest_size=12).hexdigest()


@contextmanager
def _compiler_for(
    letterhead: Letterhead, sys_inputs: Mapping[str, str] | None = None, root: Path | None = None
) -> Iterator[typst.Compiler]:
    """A fresh compiler with the process's fonts, the layout and the logo in a folder.

    The folder is ``root`` (a print's work folder, where the templates are too) or a
    scratch folder of its own. Typst keeps what it computed in a cache shared by the whole
    process and never emptied by the Python binding (typst-py issue #104), so batches are
    typeset in worker processes that are replaced now and then (``render_files``); one
    letter now and then (previews) costs little.
    """
    folder = root or Path(tempfile.mkdtemp(prefix="medvirk-letters-"))
    try:
        if not (folder / "letter.typ").exists():
            _prepare(folder, letterhead)
        yield typst.Compiler(
            str(folder / "letter.typ"),
            root=str(folder),
            font_paths=typesetting.fonts(),
            sys_inputs=dict(sys_inputs or {}),
        )
    finally:
        if root is None:
            shutil.rmtree(folder, ignore_errors=True)


def _prepare(folder: Path, letterhead: Letterhead) -> None:
    """Put the layout and the logo where Typst reads them."""
    if letterhead.logo:
        (folder / ("logo" + letterhead.logo_suffix)).write_bytes(letterhead.logo)
    (folder / "letter.typ").write_bytes(LAYOUT.read_bytes())


def render(letters: Sequence[Letter], *, letterhead: Letterhead, sheet_pages: int = 1) -> bytes:
    """Typeset letters (in a fresh process) and return the PDF."""
    return cast(
        bytes, typesetting.fresh_process(render_here, list(letters), letterhead, sheet_pages)
    )


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
    return cast(list[bytes], typesetting.fresh_process(render_png_here, letter, letterhead, ppi))


def render_png_here(letter: Letter, letterhead: Letterhead, ppi: float = 60) -> list[bytes]:
    try:
        with _compiler_for(letterhead) as compiler:
            images = compiler.compile(
                format="png", ppi=ppi, sys_inputs={"data": _data([letter], letterhead, 1)}
            )
    except typst.TypstError as exc:
        raise LayoutError(exc.message) from exc
    return list(images) if isinstance(images, list) else [cast(bytes, images)]


def _render_chunk(
    letters: Sequence[Letter], letterhead: Letterhead, sheet_pages: int, path: Path
) -> int:
    """Typeset a chunk into ``path``, refusing it if any letter ran over its sheet.

    One letter too long (a long unit name or contact hours, say) would shift every letter
    after it off its sheet, so the whole print stops instead. Where letters share their
    texts, each text is laid out once (``_assembled``); where every letter is a text of
    its own (a body that names the recipient), each is set whole.
    """
    keys = [variant(letter) for letter in letters]
    if len(set(keys)) < len(letters):
        pdf, pages = _assembled(letters, keys, letterhead, sheet_pages, path.parent)
    else:
        pdf = render_here(letters, letterhead, sheet_pages)
        pages = pdf_files.page_count(pdf)
        if sheet_pages == 2 and pages % 2:
            # The last letter took one side: give it its back page too, so that the chunks
            # joined after this one still start each letter on the front of a sheet.
            pdf = pdf_files.with_blank_back(pdf)
            pages += 1
    if pages != len(letters) * sheet_pages:
        raise DoesNotFit(sheet_pages)
    path.write_bytes(pdf)
    return len(letters)


def _templates(
    letters: Sequence[Letter], keys: Sequence[str], letterhead: Letterhead, work: Path
) -> dict[str, dict[str, Any]]:
    """Each variant's template: its PDF file, its pages and where its slots are.

    Templates are kept in ``work`` for the whole print: a variant is laid out by the first
    chunk that meets it (or the first few, when they run at once), then read from there.
    """
    firsts: dict[str, Letter] = {}
    for key, letter in zip(keys, letters, strict=True):
        firsts.setdefault(key, letter)
    found: dict[str, dict[str, Any]] = {}
    missing = []
    for key, letter in firsts.items():
        index = work / f"template-{key}.json"
        if index.exists():
            found[key] = json.loads(index.read_text())
        else:
            missing.append(letter)
    if missing:
        found.update(_make_templates(missing, letterhead, work))
    return found


def _make_templates(
    letters: Sequence[Letter], letterhead: Letterhead, work: Path
) -> dict[str, dict[str, Any]]:
    data = _data(letters, letterhead, 1, mode="template")
    try:
        with _compiler_for(letterhead, sys_inputs={"data": data}, root=work) as compiler:
            slots = json.loads(compiler.query("<slot>", field="value"))
            starts = json.loads(compiler.query("<variant>", field="value"))
            pdf = cast(bytes, compiler.compile(format="pdf"))
    except typst.TypstError as exc:
        raise LayoutError(exc.message) from exc
    made: dict[str, dict[str, Any]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        ends = [start["page"] for start in starts[1:]] + [len(document.pages) + 1]
        for start, end in zip(starts, ends, strict=True):
            key = start["variant"]
            first = start["page"]
            with pikepdf.new() as single:
                single.pages.extend(document.pages[first - 1 : end - 1])
                pdf_files.save_atomically(work / f"template-{key}.pdf", single)
            made[key] = {
                "pages": end - first,
                "slots": {
                    slot["slot"]: {
                        "page": slot["at"]["page"] - first + 1,
                        "x": _points(slot["at"]["x"]),
                        "y": _points(slot["at"]["y"]),
                    }
                    for slot in slots
                    if slot["variant"] == key
                },
            }
            partial = work / f"template-{key}.json.part-{os.getpid()}"
            partial.write_text(json.dumps(made[key]))
            partial.replace(work / f"template-{key}.json")
    return made


def _points(length: str) -> float:
    """A length from Typst's query output, e.g. "70.87pt", in points."""
    return float(length.removesuffix("pt"))


def _assembled(
    letters: Sequence[Letter],
    keys: Sequence[str],
    letterhead: Letterhead,
    sheet_pages: int,
    work: Path,
) -> tuple[bytes, int]:
    """Letters made of their variant's template with each one's own part laid over it.

    The template goes into the page as a PDF image, which Typst writes into the file once
    and draws on every page that shows it. Returns the PDF and its number of pages: the
    overlay gives every letter its sheet's pages, and nothing it places can run over.
    """
    templates = _templates(letters, keys, letterhead, work)
    if any(template["pages"] > sheet_pages for template in templates.values()):
        raise DoesNotFit(sheet_pages)
    data = _data(letters, letterhead, sheet_pages, mode="overlay", slots=templates, keys=keys)
    try:
        with _compiler_for(letterhead, root=work) as compiler:
            pdf = cast(bytes, compiler.compile(format="pdf", sys_inputs={"data": data}))
    except typst.TypstError as exc:
        raise LayoutError(exc.message) from exc
    return pdf, len(letters) * sheet_pages


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
    _prepare(work, letterhead)
    batches: list[Batch] = []
    done = 0

    def finished(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    joiner = _Joiner()
    try:
        chunks = _numbered(_batched_chunks(letters, batch_size, batches, paths), work)
        if processes == 1:
            for chunk_letters, chunk_path, batch in chunks:
                finished(_render_chunk(chunk_letters, letterhead, sheet_pages, chunk_path))
                joiner.add(chunk_path, batch)
        else:
            _render_in_pool(chunks, letterhead, sheet_pages, processes, finished, joiner)
        joiner.finish()
    finally:
        joiner.close()
        shutil.rmtree(work, ignore_errors=True)
    return batches


def _render_in_pool(
    chunks: Iterator[tuple[list[Letter], Path, Batch]],
    letterhead: Letterhead,
    sheet_pages: int,
    processes: int,
    finished: Callable[[int], None],
    joiner: _Joiner,
) -> None:
    """Typeset the chunks in worker processes, a few in flight at a time, and join them."""
    with typesetting.context().Pool(
        processes=processes, maxtasksperchild=CHUNKS_PER_PROCESS
    ) as pool:
        pending: list[tuple[AsyncResult[int], Path, Batch]] = []

        def collect() -> None:
            # In order, so that each file gets its letters in postal-code order; joined
            # while the workers typeset the next chunks.
            result, chunk_path, batch = pending.pop(0)
            finished(_result(result))
            joiner.add(chunk_path, batch)

        for chunk_letters, chunk_path, batch in chunks:
            result = pool.apply_async(
                _render_chunk, (chunk_letters, letterhead, sheet_pages, chunk_path)
            )
            pending.append((result, chunk_path, batch))
            while len(pending) > 2 * processes:  # a few chunks in flight, not all
                collect()
        while pending:
            collect()


def _numbered(
    chunks: Iterator[tuple[list[Letter], Batch]], work: Path
) -> Iterator[tuple[list[Letter], Path, Batch]]:
    """Give each chunk its file in ``work`` and count it into its batch."""
    for number, (chunk_letters, batch) in enumerate(chunks, start=1):
        chunk_path = work / f"{number:06d}.pdf"
        batch.chunks.append(chunk_path)
        batch.letters += len(chunk_letters)
        yield chunk_letters, chunk_path, batch


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


class _Joiner:
    """Puts typeset chunks into their batch's file as they come, in order.

    A batch of one chunk is moved into place as it is. Several are written one after
    another into one file by ``PdfWriter`` (core.documents.pdf), which holds one chunk in
    memory at a time, so a file of 50,000 letters takes no more memory than one of 500. The
    file is written beside its place first and then moved there, so a file that exists is
    whole.
    """

    def __init__(self) -> None:
        self.batch: Batch | None = None
        self.first: Path | None = None
        self.writer: pdf_files.PdfWriter | None = None

    def add(self, chunk: Path, batch: Batch) -> None:
        if batch is not self.batch:
            self.finish()
            self.batch, self.first = batch, chunk
            return
        if self.writer is None:
            self.writer = pdf_files.PdfWriter(_partial(batch.path))
            self.writer.add(cast(Path, self.first))
        self.writer.add(chunk)

    def finish(self) -> None:
        if self.batch is None:
            return
        partial = _partial(self.batch.path)
        if self.writer is None:
            cast(Path, self.first).replace(partial)
        else:
            self.writer.close()
            self.writer = None
        partial.replace(self.batch.path)
        self.batch = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.abandon()
            self.writer = None


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".part")
