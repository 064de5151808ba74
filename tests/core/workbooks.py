"""Hand-built XLSX files for the tests that attack the importer: zip bombs and the like.

openpyxl cannot write a worksheet of hundreds of MB in a test's time, nor a part that lies
about its size, so these files are put together from their XML parts with zipfile, which
streams a part into the zip as it is written: a 300 MB sheet never sits in memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>
</Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Target="xl/workbook.xml"
Type="{_DOC_RELS}/officeDocument"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{_DOC_RELS}"><sheets>
<sheet name="Mottakere" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_RELS}">
<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{_DOC_RELS}/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml" Type="{_DOC_RELS}/sharedStrings"/>
</Relationships>"""

HEADINGS = ("Navn", "Adresse", "Postnr", "Poststed", "Virksomhet")
RECIPIENT = ("Kari Nordmann", "Storgata 1", "3045", "Drammen", "BBS")


def cell(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def row(*texts: str) -> bytes:
    return b"<row>" + b"".join(map(cell, texts)) + b"</row>"


def sheet(*body: bytes | Iterable[bytes]) -> Iterable[bytes]:
    """A worksheet's XML in pieces: the headings, then ``body`` (pieces or iterables)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield row(*HEADINGS)
    for piece in body:
        if isinstance(piece, bytes):
            yield piece
        else:
            yield from piece
    yield b"</sheetData></worksheet>"


def repeated(piece: bytes, megabytes: int) -> Iterable[bytes]:
    """``piece`` over and over, ``megabytes`` MiB of it, a MiB at a time."""
    chunk = piece * (2**20 // len(piece))
    for _ in range(megabytes):
        yield chunk


def shared_strings(count: int) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    for start in range(0, count, 10_000):
        yield b"".join(b"<si><t>%d</t></si>" % n for n in range(start, min(count, start + 10_000)))
    yield b"</sst>"


def workbook(
    sheet_xml: Iterable[bytes],
    *,
    strings: Iterable[bytes] = (f'<sst xmlns="{MAIN}"/>'.encode(),),
    compression: int = zipfile.ZIP_DEFLATED,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """An XLSX file with one worksheet, written part by part, and any ``extra`` parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        for name, pieces in (
            ("xl/sharedStrings.xml", strings),
            ("xl/worksheets/sheet1.xml", sheet_xml),
        ):
            with archive.open(name, "w") as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def declaring(data: bytes, name: str, *, file_size: int) -> bytes:
    """``data`` with the central directory (and local header) claiming that the part
    ``name`` unpacks to ``file_size`` bytes: a zip that lies about its size.

    Both the central directory, which readers go by, and the part's local header say so.
    """
    patched = bytearray(data)
    encoded = name.encode()
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == encoded:
            struct.pack_into("<L", patched, central + 24, file_size)
            local = struct.unpack_from("<L", patched, central + 42)[0]
            struct.pack_into("<L", patched, local + 22, file_size)
            return bytes(patched)
        central = patched.find(b"PK\x01\x02", central + 4)
    raise ValueError(f"no part named {name}")
