"""The baseline: the same letters as Medvirk prints, made with WeasyPrint (HTML to PDF).

Run by bench/letters.py: ``python -m bench._letters_weasyprint ROUND COUNT OUT``. Builds the
first COUNT letters of the round exactly as ``letters_print`` does (``letters_for``), writes
them as one HTML document with the same fonts, page size and QR codes, and times WeasyPrint
turning it into a PDF. Prints the seconds it took.
"""

from __future__ import annotations

import sys
import time
from html import escape
from itertools import islice
from pathlib import Path

import django

CSS = """
@font-face { font-family: "Atkinson Hyperlegible";
  src: url("{fonts}/AtkinsonHyperlegible-Regular.ttf"); }
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: bold;
  src: url("{fonts}/AtkinsonHyperlegible-Bold.ttf"); }
@page { size: A4; margin: 12mm 18mm 12mm 20mm; }
body { font-family: "Atkinson Hyperlegible"; font-size: 12pt; line-height: 1.25; }
.letter { page-break-after: always; position: relative; }
.head { display: flex; justify-content: space-between; }
.head strong { font-size: 16pt; }
.address { position: absolute; left: 2mm; top: 35mm; width: 80mm; height: 28mm; }
.title { margin-top: 66mm; font-size: 14pt; font-weight: bold; }
.code { border: 1.5pt solid black; border-radius: 2mm; padding: 3mm; display: flex; gap: 7mm; }
.code svg { width: 25mm; height: 25mm; }
.code b { font-family: "DejaVu Sans Mono", monospace; font-size: 24pt; }
"""


def main(round_pk: int, count: int, out: Path) -> None:
    django.setup()
    from weasyprint import HTML

    from medvirk.core.documents import qr, typesetting
    from medvirk.letters import services
    from medvirk.surveys.models import Round

    round_ = Round.objects.get(pk=round_pk)
    pages = []
    for _recipient, letter in islice(services.letters_for(round_, kind="invitation"), count):
        parts = []
        for block in letter.blocks:
            if block.kind == "qr":
                parts.append(
                    f'<div class="code">{qr.svg(letter.qr_url)}<div>'
                    f"{escape(letter.code_label)}<br><b>{escape(letter.code)}</b><br>"
                    f"{escape(letter.url_label)} <strong>{escape(letter.url)}</strong></div></div>"
                )
            elif block.kind == "list":
                parts.append(
                    "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.lines) + "</ul>"
                )
            else:
                parts.append("<p>" + "<br>".join(escape(line) for line in block.lines) + "</p>")
        pages.append(
            f'<section class="letter"><div class="head"><strong>{escape(round_.municipality.name)}'
            f"</strong><span>{escape(letter.date)}</span></div>"
            f'<div class="address">{"<br>".join(escape(a) for a in letter.address)}</div>'
            f'<div class="title">{escape(letter.title)}</div>{"".join(parts)}'
            f"<p>{escape(letter.closing)}</p><p><b>{escape(letter.signature_name)}</b><br>"
            f"{escape(letter.signature_title)}</p></section>"
        )
    css = CSS.replace("{fonts}", str(typesetting.FONTS))
    document = f"<html><head><style>{css}</style></head><body>{''.join(pages)}</body></html>"
    started = time.perf_counter()
    HTML(string=document).write_pdf(out)
    print(f"{time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
