"""PDF reports, read back with pypdf as a council member's PDF reader would.

The round is conftest's: Helsehuset (7 respondents) is shown, Nord hjemmetjeneste (2) is
too small and Nord sykehjem (6) is hidden to protect it. Their statement-1 means, 1,50 and
4,20, and Nord sykehjem's 80 % agreeing must appear in no report.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from medvirk.results import presentation, reports, services
from medvirk.results.models import CommentReview, ResultCell
from medvirk.surveys.models import Audience, Round

from ..documents import pdf_text as text_of
from .conftest import Answered, add_responses, answers

# A suppressed group's figure as a report would print it: a whole number, not part of one.
SECRET = re.compile(r"(?<![\d,.])(4[,.]20?|1[,.]50?|80 %)(?![\d])")

APPROVED = "Maten er god og varm om kvelden."
REJECTED = "Dette skal ikke vises."
PENDING = "Venter på gjennomgang."
APPROVED_IN_HIDDEN_UNIT = "Fint med besøk fra frivillige."


def last_page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()


def fonts_of(pdf: bytes) -> list[tuple[str, bool]]:
    """Every font the pages use: its name, and whether the font file is in the PDF."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def helsehuset(world, answered: Answered) -> ResultCell:
    return answered.cell(f"unit-{world.loose_unit.pk}")


@pytest.fixture
def commented(world, answered_round: Round) -> Answered:
    """The round with comments at Helsehuset and at hidden Nord sykehjem, screened."""
    add_responses(
        answered_round,
        world.loose_unit,
        [answers("4")] * 3,
        comments=[APPROVED, REJECTED, PENDING],
    )
    add_responses(answered_round, world.unit, [answers("4")], comments=[APPROVED_IN_HIDDEN_UNIT])
    result_set = services.results_compute(actor=None, round_=answered_round)
    decisions = {APPROVED: "approve", REJECTED: "reject", APPROVED_IN_HIDDEN_UNIT: "approve"}
    for review in CommentReview.objects.filter(round=answered_round).select_related("text"):
        if review.text.text in decisions:
            services.comment_review(actor=None, review=review, decision=decisions[review.text.text])
    return Answered(answered_round, result_set)


@pytest.fixture
def unit_pdf(world, answered: Answered) -> bytes:
    return reports.unit_report(helsehuset(world, answered))


@pytest.fixture
def area_pdf(answered: Answered) -> bytes:
    return reports.area_report(answered.result_set, Audience.USERS)


# --- a unit's report ----------------------------------------------------------------------


def test_a_unit_report_is_a_pdf_about_the_unit(unit_pdf: bytes):
    assert unit_pdf.startswith(b"%PDF-")
    assert "Helsehuset" in text_of(unit_pdf)


def test_a_unit_report_has_every_statement(answered: Answered, unit_pdf: bytes):
    spec = presentation.spec_for(answered.round, Audience.USERS)
    text = text_of(unit_pdf)

    assert [s.number for s in spec.statements if s.text.get("nb") not in text] == []


def test_a_unit_report_has_the_units_figures_and_the_areas_beside_them(unit_pdf: bytes):
    text = text_of(unit_pdf)

    # Statement 1: Helsehuset 27/7 = 3,86 from 7 answers, the whole area 51/14 = 3,64.
    assert "1 Jeg er trygg på at jeg får bistand når jeg trenger det 7 3,86" in text
    assert "3,64" in text


def test_a_unit_report_ends_with_the_councils_notes_page(unit_pdf: bytes):
    assert gettext("The council's notes") in last_page_text(unit_pdf)


def test_a_unit_report_explains_suppression_and_the_interval(unit_pdf: bytes):
    text = text_of(unit_pdf)
    suppression = gettext(
        "Nobody's answers can be seen here. A group with fewer than %(min_n)s "
        "respondents is not shown, and some further groups are hidden so that a "
        "small group's answers cannot be worked out by subtracting one published "
        "figure from another. A dash (–) stands where a figure is not shown, with "
        "the reason beside it."
    ) % {"min_n": 5}
    interval = gettext(
        "The 95 % interval is the range the true average lies in with 95 % "
        "certainty, given how many answered and how much their answers differ: the "
        "fewer the answers, the wider it is. A change since the previous round is "
        "marked with * when its own interval does not include zero: then it is "
        "very likely a real change, not chance."
    )

    assert suppression in text
    assert interval in text


def test_a_unit_report_has_its_fonts_embedded(unit_pdf: bytes):
    fonts = fonts_of(unit_pdf)

    assert [name for name, embedded in fonts if not embedded] == []
    assert any("AtkinsonHyperlegible" in name for name, _embedded in fonts)


def test_a_unit_report_has_the_approved_comments_only(world, commented: Answered):
    text = text_of(reports.unit_report(helsehuset(world, commented)))

    assert APPROVED in text
    assert REJECTED not in text
    assert PENDING not in text


def test_a_suppressed_units_report_is_refused(world, answered: Answered):
    with pytest.raises(ValueError, match="suppressed"):
        reports.unit_report(answered.cell(f"unit-{world.sibling.pk}"))


def test_a_unit_hidden_to_protect_another_gets_no_report(world, answered: Answered):
    with pytest.raises(ValueError, match="suppressed"):
        reports.unit_report(answered.cell(f"unit-{world.unit.pk}"))


def test_a_district_that_is_shown_gets_a_report(world, answered: Answered):
    pdf = reports.unit_report(answered.cell(f"district-{world.district.pk}"))

    assert "Nord HOD" in text_of(pdf)


def test_no_figure_of_a_suppressed_group_is_in_a_unit_report(unit_pdf: bytes):
    assert SECRET.findall(text_of(unit_pdf)) == []


def test_a_report_comes_in_the_readers_language(world, answered: Answered):
    with translation.override("en"):
        pdf = reports.unit_report(helsehuset(world, answered))

    assert "3.86" in text_of(pdf)
    assert "3,86" not in text_of(pdf)


# --- the area's report --------------------------------------------------------------------


def test_the_area_report_lists_every_group_and_why_some_are_not_shown(area_pdf: bytes):
    text = text_of(area_pdf)

    assert "Nord hjemmetjeneste" in text
    assert presentation.suppressed_reason("primary") in text
    assert presentation.suppressed_reason("secondary") in text


def test_the_area_report_has_the_areas_figures(area_pdf: bytes):
    assert "1 Jeg er trygg på at jeg får bistand når jeg trenger det 14 3,64" in text_of(area_pdf)


def test_no_figure_of_a_suppressed_group_is_in_the_area_report(area_pdf: bytes):
    assert SECRET.findall(text_of(area_pdf)) == []


def test_the_area_report_has_comments_of_shown_units_only(commented: Answered):
    text = text_of(reports.area_report(commented.result_set, Audience.USERS))

    assert APPROVED in text
    assert APPROVED_IN_HIDDEN_UNIT not in text
