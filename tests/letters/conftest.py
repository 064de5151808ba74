"""Letters' fixtures, on top of the surveys' (tests/surveys/conftest.py).

``printable`` is the surveys' open round with its bokmål invitation and reminder texts saved
for both audiences and signed, so that it can be printed; ``printed`` prints its
invitations into a folder of the test's own. PDFs are read with pypdf, as a print shop's
software or a screen reader would read them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import pikepdf
import pytest
import zxingcpp
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageFont, ImageOps
from pypdf import PageObject, PdfReader

from medvirk.core.documents import typesetting
from medvirk.letters import selectors, services
from medvirk.letters.models import LetterKind, LetterText
from medvirk.organisation.models import User
from medvirk.surveys.models import Round

from ..surveys import conftest as surveys_fixtures
from ..surveys.conftest import Survey

# The surveys' fixtures, for the tests of letters too.
questionnaires = surveys_fixtures.questionnaires
survey = surveys_fixtures.survey
respondent = surveys_fixtures.respondent
school_round = surveys_fixtures.school_round
beta_round = surveys_fixtures.beta_round

SIGNATORY = {"signature_name": "Eva Milde", "signature_title": "helse- og sosialdirektør"}
MM = 72 / 25.4  # points in a millimetre
A4 = (595.28, 841.89)  # points
# The C5 envelope's window, from the sheet's top-left corner, in millimetres.
WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH, WINDOW_HEIGHT = 15, 44, 105, 35
# Crockford's alphabet: XXXX-XXXX-XXXX (or XXXX-XXXX in rounds made before check characters).
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4})?\b")


def save_text(
    round_: Round,
    *,
    kind: str,
    audience: str,
    language: str = "nb",
    actor: User | None = None,
    **changes: str,
) -> LetterText:
    """Save the round's default text of ``kind`` to ``audience`` in ``language``, signed,
    with ``changes`` to its fields."""
    with translation.override(language):
        default = selectors.default_text(
            round_=round_, kind=kind, audience=audience, language=language
        )
    fields = {
        "title": default.title,
        "body": default.body,
        "closing": default.closing,
        **SIGNATORY,
        **changes,
    }
    return services.letter_text_save(
        actor=actor, round_=round_, kind=kind, audience=audience, language=language, fields=fields
    )


def save_bokmal_texts(round_: Round) -> None:
    for kind in LetterKind:
        for audience in selectors.audiences_of(round_):
            save_text(round_, kind=kind, audience=audience)


@pytest.fixture
def printable(survey: Survey) -> Survey:
    save_bokmal_texts(survey.round)
    return survey


@dataclass
class Printed:
    """Files a print wrote, and what the service reported."""

    report: services.PrintReport
    written: list[Path] = field(default_factory=list)

    @property
    def pdf(self) -> Path:
        return self.written[0]

    def pages(self) -> list[str]:
        """The text of every page of every file, in order."""
        return [page.extract_text() for path in self.written for page in PdfReader(path).pages]


PrintLetters = Callable[..., Printed]


@pytest.fixture
def print_letters(tmp_path: Path) -> PrintLetters:
    """Print a round's letters with the service into a fresh folder under tmp_path."""
    count = 0

    def print_(
        round_: Round,
        *,
        kind: str = LetterKind.INVITATION,
        unit_ids: Iterable[int] = (),
        batch_size: int | None = None,
        actor: User | None = None,
    ) -> Printed:
        nonlocal count
        count += 1
        folder = tmp_path / f"print-{count}"
        folder.mkdir()
        written: list[Path] = []

        def paths(number: int) -> Path:
            written.append(folder / f"b{number}.pdf")
            return written[-1]

        report = services.letters_print(
            actor=actor,
            round_=round_,
            kind=kind,
            paths=paths,
            unit_ids=unit_ids,
            batch_size=batch_size,
        )
        return Printed(report=report, written=written)

    return print_


@pytest.fixture
def printed(printable: Survey, print_letters: PrintLetters) -> Printed:
    """The invitations of the whole round, in one file."""
    return print_letters(printable.round)


# --- looking for secrets --------------------------------------------------------------


def found_in(text: str, wanted: Iterable[str]) -> list[str]:
    """Those of ``wanted`` that occur in ``text``."""
    return [item for item in wanted if item in text]


def stored_everywhere() -> str:
    """Every value of every row of every table, as text."""
    return repr([list(model._default_manager.values()) for model in apps.get_models()])


def code_forms(codes: Iterable[str]) -> list[str]:
    """Codes as printed (with the dash) and as typed without it."""
    return [form for code in codes for form in (code, code.replace("-", ""))]


# --- reading PDFs ----------------------------------------------------------------------


@cache
def _face(font: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(typesetting.FONTS / f"{font}.ttf"), size)


@dataclass(frozen=True)
class Run:
    """A piece of text as placed on the sheet: where its baseline starts, in millimetres from
    the sheet's top-left corner, its size in points and its font (without a subset tag)."""

    text: str
    left: float
    baseline: float
    size: float
    font: str

    @property
    def right(self) -> float:
        """Where the text ends, measured with the font itself (or as monospace, 0.6 em)."""
        if self.font.startswith("AtkinsonHyperlegible"):
            width = _face(self.font, self.size).getlength(self.text)
        else:
            width = len(self.text) * self.size * 0.6
        return self.left + width / MM

    @property
    def top(self) -> float:
        return self.baseline - self.size / MM  # a whole em above the baseline, to be safe

    @property
    def bottom(self) -> float:
        return self.baseline + 0.3 * self.size / MM


def runs(page: PageObject) -> list[Run]:
    """Every non-blank piece of text on a page, where it is."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font["/BaseFont"]).lstrip("/").split("+")[-1] if font else ""
        found.append(
            Run(
                text=text,
                left=x / MM,
                baseline=(A4[1] - y) / MM,
                size=size * abs(tm[3] * cm[3]),
                font=name,
            )
        )

    page.extract_text(visitor_text=visit)
    return found


def in_window(run: Run) -> bool:
    """Whether the whole run shows through the C5 envelope's window."""
    return (
        run.left >= WINDOW_LEFT
        and run.right <= WINDOW_LEFT + WINDOW_WIDTH
        and run.top >= WINDOW_TOP
        and run.bottom <= WINDOW_TOP + WINDOW_HEIGHT
    )


def window_lines(page: PageObject) -> list[str]:
    return [run.text.strip() for run in runs(page) if in_window(run)]


def reader(pdf: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def page_texts(pdf: bytes | Path) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def codes_in(pdf: bytes | Path) -> list[str]:
    """The access codes printed in a PDF, page by page."""
    return [code for text in page_texts(pdf) for code in CODE.findall(text)]


def _font_name(font: Any) -> str:
    return str(font.get("/BaseFont")).lstrip("/").split("+")[-1]


def fonts_of(pdf: bytes | Path) -> dict[str, bool]:
    """Every font in the PDF (without its subset tag), and whether its file is embedded.

    A composite (Type0) font is described by its descendant font, whose descriptor holds
    the font file; a Type3 font is drawn by the PDF itself and has none to embed.
    """
    found = {}
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") == "/Type3":
                continue
            described = list(obj.get("/DescendantFonts", [])) or [obj]
            for font in described:
                descriptor = font.get("/FontDescriptor")
                found[_font_name(font)] = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    return found


def qr_texts(png: bytes | Image.Image) -> list[str]:
    """What the QR codes in an image say."""
    image = png if isinstance(png, Image.Image) else Image.open(io.BytesIO(png))
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [barcode.text for barcode in found]


def pictures(pdf: bytes | Path) -> list[list[Image.Image]]:
    """The raster images on each page, as pixels."""
    found = []
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as document:
        for page in document.pages:
            found.append(
                [
                    pikepdf.PdfImage(cast(pikepdf.Stream, image)).as_pil_image()
                    for image in page.get_images().values()
                ]
            )
    return found


def qr_codes_on(picture: Image.Image) -> list[str]:
    """What a QR code drawn one pixel a module says (Typst puts the QR code's SVG on the page
    as such a small image): enlarged, with a quiet zone, to be read."""
    enlarged = picture.convert("L").resize((picture.width * 8, picture.height * 8), 0)
    return qr_texts(ImageOps.expand(enlarged, border=32, fill=255))


def qr_codes_in(pdf: bytes | Path) -> list[list[str]]:
    """What the QR codes on each page of a PDF say."""
    return [[text for picture in page for text in qr_codes_on(picture)] for page in pictures(pdf)]


# --- people answering ------------------------------------------------------------------


def enter_code(client: Client, code: str) -> Any:
    return client.post(reverse("answer:code"), {"code": code})


def answer_all(client: Client, survey: Survey, name: str) -> None:
    """``name`` answers the whole survey with their code, as on the web.

    The requests leave their language active in the thread; the test's is restored after.
    """
    recipient = survey.recipient(name)
    questionnaire = survey.round.questionnaire_for(is_relative=recipient.is_relative)
    with translation.override(translation.get_language()):
        enter_code(client, survey.codes[name])
        client.post(reverse("answer:start"), {"language": "nb", "on_behalf": "no"})
        for number, section in enumerate(questionnaire.spec.sections, start=1):
            data = {"action": "next"}
            for statement in section.statements:
                data[f"s-{statement.key}"] = "4"
                data[f"i-{statement.key}"] = "5"
            client.post(reverse("answer:section", args=[number]), data)
        client.post(reverse("answer:summary"))
    assert survey.used(name)
