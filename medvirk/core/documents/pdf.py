"""PDF helpers: counting pages, adding a blank back page, saving atomically, and writing
many PDFs one after another into one file without holding them all in memory.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pikepdf


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def with_blank_back(pdf: bytes) -> bytes:
    """The PDF with a blank page after its last, of the last page's size."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        last = document.pages[-1]
        document.add_blank_page(page_size=(float(last.mediabox[2]), float(last.mediabox[3])))
        document.save(out)
    return out.getvalue()


def save_atomically(path: Path, document: pikepdf.Pdf) -> None:
    """Save beside ``path`` first and then move there, so a file that exists is whole.

    (Another process may be writing the same file at the same moment.)
    """
    partial = path.with_name(f"{path.name}.part-{os.getpid()}")
    document.save(partial)
    partial.replace(path)


class PdfWriter:
    """Writes the pages of one PDF after another into a new PDF file, as they come.

    Each chunk's pages and everything they use (fonts, images, the template) are written
    out with new object numbers, under a page-tree node of their own; the catalogue, the
    root of the page tree and the cross-reference table follow at the end. Only pages are
    kept: the chunks' tags for screen readers are left out, as a print shop's file needs
    none (the letters' accessibility is on paper, and every letter's text stays
    extractable).
    """

    CATALOG, ROOT = 1, 2

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("wb")
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.offsets: dict[int, int] = {}
        self.next = 3
        self.nodes: list[int] = []  # the chunks' page-tree nodes
        self.pages = 0
        self.info: dict[str, str] = {}

    def add(self, chunk: Path) -> None:
        with pikepdf.open(chunk) as document:
            if not self.info:
                self.info = {str(k): str(v) for k, v in document.docinfo.items()}
            node = self._number()
            numbers: dict[tuple[int, int], int] = {}
            pending: list[pikepdf.Object] = []

            def ref(obj: pikepdf.Object) -> int:
                if obj.objgen not in numbers:
                    numbers[obj.objgen] = self._number()
                    pending.append(obj)
                return numbers[obj.objgen]

            kids = []
            for page in document.pages:
                number = self._number()
                kids.append(number)
                entries = {
                    key: value
                    for key, value in page.obj.items()
                    if key not in ("/Parent", "/StructParents")
                }
                body = b"<<" + b"".join(
                    pikepdf.Name(key).unparse() + b" " + _serial(value, ref)
                    for key, value in entries.items()
                )
                self._write(number, body + b" /Parent %d 0 R>>" % node)
                while pending:
                    obj = pending.pop()
                    self._write(numbers[obj.objgen], _indirect(obj, ref))
            self._write(
                node,
                b"<< /Type /Pages /Parent %d 0 R /Kids [%s] /Count %d >>"
                % (self.ROOT, b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)),
            )
            self.nodes.append(node)
            self.pages += len(kids)

    def close(self) -> None:
        kids = b" ".join(b"%d 0 R" % node for node in self.nodes)
        self._write(self.ROOT, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, self.pages))
        self._write(self.CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % self.ROOT)
        info = self._number()
        self._write(
            info,
            b"<<"
            + b"".join(
                pikepdf.Name(key).unparse() + b" " + pikepdf.String(value).unparse()
                for key, value in self.info.items()
            )
            + b">>",
        )
        start = self.file.tell()
        size = self.next
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, size)]
        self.file.write(b"".join(lines))
        self.file.write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, self.CATALOG, info, start)
        )
        self.file.close()

    def abandon(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)

    def _number(self) -> int:
        self.next += 1
        return self.next - 1

    def _write(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.file.tell()
        self.file.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")


def _indirect(obj: pikepdf.Object, ref: Callable[[pikepdf.Object], int]) -> bytes:
    """An indirect object's body, its references renumbered by ``ref``."""
    if isinstance(obj, pikepdf.Stream):
        raw = obj.read_raw_bytes()
        entries = [
            pikepdf.Name(key).unparse() + b" " + _serial(value, ref)
            for key, value in obj.stream_dict.items()
            if key != "/Length"
        ]
        head = b"<<" + b"".join(entries) + b" /Length %d>>" % len(raw)
        return head + b"\nstream\n" + raw + b"\nendstream"
    return _serial(obj, ref, top=True)


def _serial(value: Any, ref: Callable[[pikepdf.Object], int], *, top: bool = False) -> bytes:
    """A value as PDF syntax; an indirect object inside it as a renumbered reference."""
    if isinstance(value, pikepdf.Object) and not top and value.objgen != (0, 0):
        return b"%d 0 R" % ref(value)
    if isinstance(value, pikepdf.Dictionary):
        return (
            b"<<"
            + b"".join(
                pikepdf.Name(key).unparse() + b" " + _serial(item, ref)
                for key, item in value.items()
            )
            + b">>"
        )
    if isinstance(value, pikepdf.Array):
        return b"[" + b" ".join(_serial(item, ref) for item in value) + b"]"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        return format(Decimal(value), "f").encode()  # PDF has no exponents
    if value is None:
        return b"null"
    return bytes(cast(pikepdf.Object, value).unparse())
