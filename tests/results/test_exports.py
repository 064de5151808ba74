"""The spreadsheet of every table and the anonymised answers, read back as a user would.

The round (conftest.ANSWERS): Nord sykehjem 6 respondents (statement 1: 5, 4, 4, 3, 5 and one
"don't know"), Nord hjemmetjeneste 2 (2, 1: too few, so primary suppressed), Helsehuset 7
(4, 4, 5, 5, 3, 2, 4). Nord sykehjem is hidden too (secondary), or the district less it
would give Nord hjemmetjeneste away. Every other statement is answered 3, importance 4.

What a suppressed group's figures would have been, and must never be found anywhere:
Nord sykehjem's statement 1 has mean 4.2, sd √0.7, 80 % agreeing; Nord hjemmetjeneste's
has mean 1.5, sd √0.5.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from medvirk.organisation.models import Unit
from medvirk.results import exports, presentation, services, spreadsheet
from medvirk.results.models import ResultSet
from medvirk.surveys.models import Audience, Round

from ..factories import UnitFactory
from ..surveys.conftest import make_round
from .conftest import Answered, add_responses, answers, close

SECRET_NUMBERS = (4.2, 0.8, math.sqrt(0.7), 1.5, math.sqrt(0.5))
SECRET_TEXTS = ("4,2", "4,20", "1,5", "1,50", "4.2", "1.5", "80 %")


def book(answered: Answered, **kwargs: Any) -> Workbook:
    return load_workbook(io.BytesIO(spreadsheet.workbook(answered.result_set, **kwargs)))


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def users_sheet(workbook: Workbook) -> Worksheet:
    return workbook[str(Audience.USERS.label)]


def statement_row(workbook: Workbook, group: str, number: int) -> dict[Any, Any]:
    """One group's row for one statement on the users' sheet, by column heading."""
    header, *body = rows(users_sheet(workbook))
    for row in body:
        if row[1] == group and row[3] == number:
            return dict(zip(header, row, strict=True))
    raise AssertionError(f"no row for {group} {number}")


def every_value(workbook: Workbook) -> list[Any]:
    return [value for sheet in workbook.worksheets for row in rows(sheet) for value in row]


def csv_rows(answered: Answered, audience: str = Audience.USERS) -> list[dict[str, str]]:
    data = exports.anonymised_csv(answered.result_set, audience=audience)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def groups_of(found: list[dict[str, str]]) -> Counter[tuple[str, str]]:
    return Counter((row["level"], row["group"]) for row in found)


def firsts(*scores: str) -> list[tuple[str, str]]:
    """Responses with statement 1 answered as given, every other statement 3."""
    return [answers(score) for score in scores]


def computed_round(
    world, questionnaires, answered_by: dict[Unit, list[tuple[str, str]]]
) -> Answered:
    """A closed round of the given units with their responses, and its results."""
    round_ = make_round(
        world,
        questionnaires,
        name="Brukerundersøkelse 2027",
        units=list(answered_by),
        opens_in=timedelta(days=-20),
        closes_in=timedelta(days=-6),
    )
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN, opened_at=timezone.now())
    for unit, rows_of_unit in answered_by.items():
        add_responses(round_, unit, rows_of_unit)
    close(round_)
    return Answered(round_, services.results_compute(actor=None, round_=round_))


# --- the workbook -------------------------------------------------------------------------


def test_the_workbook_has_the_area_figures_of_statement_1(answered: Answered):
    row = statement_row(book(answered), "Helse, sosial og omsorg", 1)

    assert row[gettext("Valid answers")] == 14
    assert math.isclose(row[gettext("Average")], 51 / 14)


def test_the_workbook_has_helsehuset_figures_with_their_interval(answered: Answered):
    row = statement_row(book(answered), "Helsehuset", 1)
    # sd² = (7·111 − 27²) / (7·6) = 48/42; t(0.975, 6 df) = 2.446912.
    half = 2.446912 * math.sqrt(48 / 42 / 7)

    assert row[gettext("Valid answers")] == 7
    assert math.isclose(row[gettext("Average")], 27 / 7)
    assert math.isclose(row[gettext("95 % interval, from")], 27 / 7 - half, rel_tol=1e-6)
    assert math.isclose(row[gettext("95 % interval, to")], 27 / 7 + half, rel_tol=1e-6)
    assert math.isclose(row[gettext("Agree")], 5 / 7)


def test_a_suppressed_unit_has_a_dash_and_the_reason_instead_of_figures(answered: Answered):
    row = statement_row(book(answered), "Nord hjemmetjeneste", 1)

    assert row[gettext("Shown")] == presentation.suppressed_reason("primary")
    assert row[gettext("Valid answers")] == "–"
    assert row[gettext("Average")] == "–"


def test_a_unit_hidden_to_protect_another_says_so(answered: Answered):
    row = statement_row(book(answered), "Nord sykehjem", 1)

    assert row[gettext("Shown")] == presentation.suppressed_reason("secondary")
    assert row[gettext("Average")] == "–"


def test_no_figure_of_a_suppressed_group_is_anywhere_in_the_workbook(answered: Answered):
    values = every_value(book(answered))
    numbers = [v for v in values if isinstance(v, float)]
    texts = [v for v in values if isinstance(v, str)]

    assert not [v for v in numbers if any(math.isclose(v, s) for s in SECRET_NUMBERS)]
    assert not [t for t in texts if any(s in t for s in SECRET_TEXTS)]


def test_the_overview_gives_every_group_its_response_rate(answered: Answered):
    overview = book(answered)[gettext("Overview")]
    found = {row[2]: row for row in rows(overview) if row and row[0] == Audience.USERS.label}

    assert found["Helsehuset"][3:6] == (9, 7, 7 / 9)
    assert found["Nord hjemmetjeneste"][6] == presentation.suppressed_reason("primary")


def test_figures_are_numbers_with_a_number_format(answered: Answered):
    sheet = users_sheet(book(answered))
    header = [cell.value for cell in sheet[1]]
    mean = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Helsehuset")[
        header.index(gettext("Average"))
    ]

    assert (mean.data_type, mean.number_format) == ("n", "0.00")


def test_the_section_sheet_has_each_respondents_mean_averaged(answered: Answered):
    sheet = book(answered)[gettext("Section indexes")]
    header, *body = rows(sheet)
    found = next(
        dict(zip(header, row, strict=True))
        for row in body
        if row[2] == "Helsehuset" and row[3] == "Trivsel og trygghet"
    )

    means = [(first + 15) / 6 for first in (4, 4, 5, 5, 3, 2, 4)]
    assert math.isclose(found[gettext("Index (average)")], sum(means) / 7)


def test_the_ipa_sheet_says_where_to_concentrate(answered: Answered):
    sheet = book(answered)[gettext("Importance and performance")]
    header, *body = rows(sheet)
    found = next(
        dict(zip(header, row, strict=True))
        for row in body
        if row[2] == "Helsehuset" and row[3] == 2
    )

    assert found[gettext("Quadrant")] == gettext("Concentrate here")
    assert found[gettext("Concentrate here")] == gettext("Yes")
    assert math.isclose(found[gettext("Importance (average)")], 4.0)


def test_the_ipa_sheet_has_no_suppressed_group(answered: Answered):
    sheet = book(answered)[gettext("Importance and performance")]

    assert {row[2] for row in rows(sheet)[1:]} == {
        "Helse, sosial og omsorg",
        "Nord HOD",
        "Helsehuset",
    }


def test_a_unit_managers_workbook_names_no_other_unit(world, answered: Answered):
    values = every_value(book(answered, user=world.people["manager"]))

    assert "Nord sykehjem" in values
    assert "Helsehuset" not in values


def test_the_workbook_says_when_results_are_preliminary(answered: Answered):
    ResultSet.objects.filter(pk=answered.result_set.pk).update(state=ResultSet.State.PRELIMINARY)
    answered.result_set.refresh_from_db()

    overview = rows(book(answered)[gettext("Overview")])

    assert (gettext("State"), str(ResultSet.State.PRELIMINARY.label)) in [r[:2] for r in overview]


# --- the anonymised answers ---------------------------------------------------------------


def test_the_csv_never_carries_the_code_of_a_suppressed_unit(answered: Answered):
    data = exports.anonymised_csv(answered.result_set, audience=Audience.USERS)

    assert b"n-hjt" not in data
    assert b"n-shj" not in data


def test_the_hidden_units_of_a_shown_district_are_counted_under_its_code(answered: Answered):
    assert groups_of(csv_rows(answered)) == {("unit", "hh"): 7, ("district", "nord"): 8}


def test_every_group_in_the_csv_has_at_least_min_n_rows(answered: Answered):
    counts = groups_of(csv_rows(answered))

    assert min(counts.values()) >= answered.result_set.min_n


def test_the_csv_has_one_column_per_score_and_importance_and_nothing_else(answered: Answered):
    header = list(csv_rows(answered)[0])

    assert header[:4] == ["level", "group", "s01", "s01_imp"]
    assert len(header) == 2 + 2 * 23


def test_the_csv_codes_dont_know_as_vi(answered: Answered):
    nord = [row["s01"] for row in csv_rows(answered) if row["group"] == "nord"]

    assert sorted(nord) == ["1", "2", "3", "4", "4", "5", "5", "VI"]


def test_the_csv_leaves_no_answer_empty(world, answered_round: Round):
    add_responses(answered_round, world.loose_unit, [answers("-")])
    answered = Answered(answered_round, services.results_compute(actor=None, round_=answered_round))

    helsehuset = [row["s01"] for row in csv_rows(answered) if row["group"] == "hh"]

    assert sorted(helsehuset) == ["", "2", "3", "4", "4", "4", "5", "5"]


def test_the_csv_has_no_comments(world, answered_round: Round):
    add_responses(
        answered_round, world.loose_unit, [answers("4")], comments=["Takk til Kari på natta"]
    )
    answered = Answered(answered_round, services.results_compute(actor=None, round_=answered_round))

    data = exports.anonymised_csv(answered.result_set, audience=Audience.USERS)

    assert b"Kari" not in data


def test_the_csv_opens_in_excel_set_up_for_norway(answered: Answered):
    data = exports.anonymised_csv(answered.result_set, audience=Audience.USERS)

    assert data.startswith("\ufeff".encode())
    assert data.splitlines()[0].decode("utf-8-sig").startswith("level;group;s01;")


def test_the_csv_rows_come_in_a_new_order_each_time(answered: Answered):
    first = exports.anonymised_csv(answered.result_set, audience=Audience.USERS)
    second = exports.anonymised_csv(answered.result_set, audience=Audience.USERS)

    assert sorted(first.splitlines()) == sorted(second.splitlines())
    assert first != second


def test_no_figure_of_a_suppressed_group_can_be_read_from_the_csv(answered: Answered):
    found = csv_rows(answered)
    nord = [int(row["s01"]) for row in found if row["group"] == "nord" and row["s01"] != "VI"]

    # Only the district's seven together, which the district's own page shows.
    assert sum(nord) / len(nord) == 24 / 7


@pytest.fixture
def small_units(world) -> tuple[Unit, Unit, Unit]:
    """A third small unit in Nord, and two small units outside the districts."""
    third = UnitFactory.create(
        service_area=world.area, district=world.district, name="Nord dagsenter", code="n-dag"
    )
    first = UnitFactory.create(service_area=world.area, name="Ute A", code="ute-a")
    second = UnitFactory.create(service_area=world.area, name="Ute B", code="ute-b")
    return third, first, second


def test_small_groups_too_few_for_their_district_are_counted_under_the_areas_code(
    world, questionnaires, small_units
):
    third, first, second = small_units
    answered = computed_round(
        world,
        questionnaires,
        {
            world.unit: firsts("5", "4", "4", "3", "5", "4"),
            world.sibling: firsts("2", "1"),
            third: firsts("3", "3"),
            world.loose_unit: firsts("4", "4", "5", "5", "3", "2", "4"),
            first: firsts("2", "3", "4"),
            second: firsts("1", "2", "3"),
        },
    )

    # Nord's small units together are 4, so Nord sykehjem is hidden with them and the three
    # are counted under Nord; the two small units outside the districts under the area.
    assert groups_of(csv_rows(answered)) == {
        ("district", "nord"): 10,
        ("unit", "hh"): 7,
        ("area", "05"): 6,
    }


def test_a_districts_small_units_and_the_unit_hidden_with_them_count_under_it(
    world, questionnaires, small_units
):
    third, _first, _second = small_units
    answered = computed_round(
        world,
        questionnaires,
        {
            world.unit: firsts("5", "4", "4", "3", "5", "4"),
            world.sibling: firsts("2", "1"),
            third: firsts("3", "3"),
            world.loose_unit: firsts("4", "4", "5", "5", "3", "2", "4"),
        },
    )

    assert groups_of(csv_rows(answered)) == {("district", "nord"): 10, ("unit", "hh"): 7}


def test_a_hidden_districts_code_never_names_its_hidden_units(world, questionnaires, small_units):
    third, first, _second = small_units
    answered = computed_round(
        world,
        questionnaires,
        {
            world.unit: firsts(*["4"] * 20),
            world.sibling: firsts("2", "1"),
            third: firsts("3", "3", "4"),
            world.loose_unit: firsts(*["5"] * 30),
            first: firsts("2", "3"),
        },
    )

    # Nord is hidden, or the area less Nord and Helsehuset would be Ute A. Were Nord's two
    # small units (5 together) named by its code, Nord sykehjem's rows and theirs would add
    # up to Nord's figures, and the area's less those to Ute A's: they go to the area's.
    assert answered.cell(f"district-{world.district.pk}").suppressed == "secondary"
    assert groups_of(csv_rows(answered)) == {
        ("unit", "n-shj"): 20,
        ("unit", "hh"): 30,
        ("area", "05"): 7,
    }


def test_a_statement_too_few_answered_in_one_group_is_left_out_of_the_csv(world, questionnaires):
    dont_know_2 = ("40" + "3" * 21, "4" * 23)
    answered = computed_round(
        world,
        questionnaires,
        {
            world.unit: firsts("5", "4", "4", "3", "5", "4"),
            world.sibling: firsts("2", "1"),
            world.loose_unit: [*firsts("4", "4", "5"), *[dont_know_2] * 4],
        },
    )

    header = list(csv_rows(answered)[0])

    # Helsehuset's three answers to statement 2 are hidden on the pages, with their
    # importance: so is the statement in the file, for every group.
    assert header[2:5] == ["s01", "s01_imp", "s03"]
