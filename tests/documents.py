"""Reading back what Medvirk writes for people to open: PDF and Excel files as text."""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of white space as one space (table cells wrap)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


def xlsx_text(workbook: bytes) -> str:
    """Every sheet's name and cell of an Excel workbook, one space between them."""
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    parts: list[str] = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts += [str(value) for value in row if value is not None]
    return " ".join(parts)


def readable_text(content: bytes, content_type: str) -> str:
    """What a person opening a downloaded response would read."""
    if content_type.startswith("application/pdf"):
        return pdf_text(content)
    if "spreadsheetml" in content_type:
        return xlsx_text(content)
    return content.decode("utf-8")
