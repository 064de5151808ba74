"""The demo's published round, attacked from what anyone can take away: its spreadsheet, its
anonymised answers and its public pages. No set of fewer than min_n respondents may follow.

The demo (as `make run` loads it) has small units and many "vet ikke" on the digital
statements, which is where the guarantee is tested hardest: before version 2 of the disclosure
control, a service across the area less its shown units gave two hidden units' four answers to
a statement away, exactly from the spreadsheet. The attacker (attacker.py) knows which units and
services each group holds and, per the model, every atom's count; it reads which groups publish
which figure from each file or page, and tries every small set of atoms exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from medvirk.organisation.models import District, Unit
from medvirk.results import exports, reports, spreadsheet
from medvirk.results.models import Level, ResultSet
from medvirk.results.static_export import export_site
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Audience, Response, Round
from medvirk.surveys.questionnaire import QuestionnaireSpec

from .attacker import given_away

Atom = tuple[int, int | None]
Published = dict[str, list[frozenset[Atom]]]  # kind of figure -> groups that publish it


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module and rolled back at its end."""
    from django.conf import settings

    with django_db_blocker.unblock(), transaction.atomic():
        previous, settings.DATA_DIR = settings.DATA_DIR, tmp_path_factory.mktemp("demo")
        surveys.questionnaire_load_builtin()
        call_command("load_demo", stdout=io.StringIO())
        yield
        settings.DATA_DIR = previous
        transaction.set_rollback(True)


@pytest.fixture
def published(loaded, db) -> ResultSet:
    return ResultSet.objects.get(state=ResultSet.State.PUBLISHED)


# --- what the attacker knows: the groups' make-up and (per the model) the atoms' counts ---------


class Demo:
    def __init__(self, result_set: ResultSet, audience: str) -> None:
        self.round: Round = result_set.round
        self.audience = audience
        self.min_n = result_set.min_n
        self.spec: QuestionnaireSpec = self.round.questionnaire_for(
            is_relative=audience == Audience.RELATIVES
        ).spec
        self.responses = list(
            Response.objects.filter(round=self.round, audience=audience).values_list(
                "unit_id", "service_type_id", "scores", "importance"
            )
        )
        self.atoms: set[Atom] = {(u, s) for u, s, _sc, _im in self.responses}
        self.district_of = dict(Unit.objects.values_list("pk", "district_id"))

    def atoms_of_key(self, key: str) -> frozenset[Atom]:
        """A group by its key, as the public pages' addresses name it."""
        if key == "area":
            return frozenset(self.atoms)
        kind, _, number = key.partition("-")
        if kind == "unit":
            return frozenset(a for a in self.atoms if a[0] == int(number))
        if kind == "district":
            return frozenset(a for a in self.atoms if self.district_of[a[0]] == int(number))
        service = None if number == "none" else int(number)
        return frozenset(a for a in self.atoms if a[1] == service)

    def weights(self, column: int, places: Iterable[int]) -> Counter[Atom]:
        """Per atom, the responses with an answer on the scale at any of these places
        (column 2: the scores, 3: the importance ratings)."""
        wanted = list(places)
        return Counter(
            (row[0], row[1])
            for row in self.responses
            if any(str(row[column])[p] in "123456789" for p in wanted)
        )

    def kinds(self) -> dict[str, Counter[Atom]]:
        """Every kind of figure with each atom's count of answers for it."""
        out: dict[str, Counter[Atom]] = {
            "respondents": Counter((row[0], row[1]) for row in self.responses)
        }
        for statement in self.spec.statements:
            out[f"s:{statement.key}"] = self.weights(2, [statement.index])
            out[f"i:{statement.key}"] = self.weights(3, [statement.index])
        for section in self.spec.sections:
            places = [s.index for s in section.statements]
            if places:
                out[f"c:{section.key}"] = self.weights(2, places)
        return out

    def attack(self, published: Published) -> dict[str, list[frozenset[Hashable]]]:
        found = {}
        for kind, weights in self.kinds().items():
            leak = given_away(published.get(kind, []), weights, min_n=self.min_n)
            if leak:
                found[kind] = leak
        return found


def audiences(result_set: ResultSet) -> list[str]:
    round_ = result_set.round
    found = [Audience.USERS.value]
    return found + ([Audience.RELATIVES.value] if round_.relatives_questionnaire else [])


# --- reading the files and pages as a reader would --------------------------------------------


def number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _values(book: Workbook, sheet: str) -> list[tuple[Any, ...]]:
    # openpyxl types a cell's value as anything a cell may hold; these hold what the
    # spreadsheet wrote: group names as text, statement numbers as integers.
    return list(book[sheet].iter_rows(values_only=True))


def from_workbook(demo: Demo, data: bytes) -> Published:
    """Which groups the spreadsheet gives each figure of, from its cells."""
    book = load_workbook(io.BytesIO(data))
    by_name = _groups_by_level_and_name(demo)
    out: Published = {}
    header, *rows = _values(book, str(Audience(demo.audience).label))
    column = {title: i for i, title in enumerate(header)}
    numbers = {s.number: s.key for s in demo.spec.statements}
    level, group = column[_("Level")], column[_("Group")]
    for row in rows:
        atoms = by_name[(row[level], row[group])]
        key = numbers[row[column[_("No.")]]]
        if number(row[column[_("Valid answers")]]):
            out.setdefault(f"s:{key}", []).append(atoms)
            out.setdefault("respondents", []).append(atoms)
        if number(row[column[_("Importance (average)")]]):
            out.setdefault(f"i:{key}", []).append(atoms)
    header, *rows = _values(book, _("Section indexes"))
    column = {title: i for i, title in enumerate(header)}
    titles = {s.title.get("nb"): s.key for s in demo.spec.sections}
    for row in rows:
        if row[0] != Audience(demo.audience).label:
            continue
        atoms = by_name[(row[column[_("Level")]], row[column[_("Group")]])]
        if number(row[column[_("Respondents with answers")]]):
            out.setdefault(f"c:{titles[row[column[_('Section')]]]}", []).append(atoms)
    return out


def _groups_by_level_and_name(demo: Demo) -> dict[tuple[str, str], frozenset[Atom]]:
    from medvirk.results.models import ResultCell

    cells = ResultCell.objects.filter(result_set__round=demo.round, audience=demo.audience)
    return {
        (str(Level(cell.level).label), cell.name): demo.atoms_of_key(cell.key) for cell in cells
    }


def from_answer_file(demo: Demo, data: bytes) -> Published:
    """The anonymised answers: each group of the file gives every column it has."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    groups: dict[tuple[str, str], set[Atom]] = {}
    units = {u.code: u.pk for u in Unit.objects.all()}
    districts = {d.code: d.pk for d in District.objects.all()}
    for row in rows:
        level, code = row["level"], row["group"]
        if level == "unit":
            groups[(level, code)] = set(demo.atoms_of_key(f"unit-{units[code]}"))
        elif level == "district":
            groups[(level, code)] = set(demo.atoms_of_key(f"district-{districts[code]}"))
        else:
            groups[(level, code)] = set(demo.atoms)
    # A district or area row stands for its units that the file does not name: take the named
    # ones out, as the attacker can (they know which units the file lists on their own).
    named = set().union(*(g for (lvl, _c), g in groups.items() if lvl == "unit"))
    for (level, _code), atoms in groups.items():
        if level == "district":
            atoms -= named
    in_districts = set().union(*(g for (lvl, _c), g in groups.items() if lvl == "district"))
    for (level, _code), atoms in groups.items():
        if level == "area":
            atoms -= named | in_districts
    out: Published = {}
    columns = [c for c in (rows[0].keys() if rows else []) if c not in ("level", "group")]
    for name in columns:
        kind = f"i:{name[:-4]}" if name.endswith("_imp") else f"s:{name}"
        out[kind] = [frozenset(g) for g in groups.values()]
    out["respondents"] = [frozenset(g) for g in groups.values()]
    return out


ROW = re.compile(r"<tr>\s*<td>(\d+)</td>\s*<th scope=\"row\">.*?</th>(.*?)</tr>", re.S)
NUM = re.compile(r'<td class="num">([^<]*)</td>')


def from_public_pages(demo: Demo, client: Client) -> Published:
    """Every public group page of the round: which statements show figures, and importance."""
    numbers = {s.number: s.key for s in demo.spec.statements}
    start = f"/resultater/{demo.round.pk}/"
    overviews = [start, *re.findall(rf'href="({start}\?[^"]*)"', client.get(start).text)]
    pages: set[str] = set()
    for overview in overviews:
        text = client.get(overview.replace("&amp;", "&")).text
        pages |= set(re.findall(rf'href="({start}{demo.audience}/[^"/]+/)"', text))
    out: Published = {}
    for url in sorted(pages):
        atoms = demo.atoms_of_key(url.rstrip("/").rsplit("/", 1)[1])
        text = client.get(url).text
        for number_text, rest in ROW.findall(text):
            cells = NUM.findall(rest)
            if not cells:
                continue  # "–": not shown
            key = numbers[int(number_text)]
            out.setdefault(f"s:{key}", []).append(atoms)
            out.setdefault("respondents", []).append(atoms)
            if re.search(r"\d", cells[5]):
                out.setdefault(f"i:{key}", []).append(atoms)
    return out


def from_page_texts(demo: Demo, pages: dict[str, str]) -> Published:
    """Group pages (by the group's key) read like the public pages: the static export."""
    numbers = {s.number: s.key for s in demo.spec.statements}
    out: Published = {}
    for key, text in pages.items():
        atoms = demo.atoms_of_key(key)
        for number_text, rest in ROW.findall(text):
            cells = NUM.findall(rest)
            if not cells:
                continue
            statement = numbers[int(number_text)]
            out.setdefault(f"s:{statement}", []).append(atoms)
            out.setdefault("respondents", []).append(atoms)
            if re.search(r"\d", cells[5]):
                out.setdefault(f"i:{statement}", []).append(atoms)
    return out


def from_report(demo: Demo, key: str, pdf: bytes) -> Published:
    """A PDF report's statement table, read from its text: a row with a count and an average
    after the statement's words shows that statement for the report's group."""
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    table = text[text.index(_("Statement by statement")) :]
    atoms = demo.atoms_of_key(key)
    out: Published = {}
    statements = list(demo.spec.statements)
    for i, statement in enumerate(statements):
        words = " ".join(statement.text.get("nb").split())
        start = table.find(f"{statement.number} {words}")
        if start < 0:
            continue
        end = len(table)
        if i + 1 < len(statements):
            following = statements[i + 1]
            later = table.find(f"{following.number} {following.text.get('nb').split()[0]} ", start)
            end = later if later > 0 else end
        if re.search(r"\b\d+ \d,\d\d\b", table[start + len(words) : end]):
            out.setdefault(f"s:{statement.key}", []).append(atoms)
    return out


def merged(*found: Published) -> Published:
    out: Published = {}
    for published in found:
        for kind, groups in published.items():
            out.setdefault(kind, []).extend(groups)
    return out


# --- the attacks --------------------------------------------------------------------------------


def test_the_demo_has_a_published_round_with_hidden_groups(published: ResultSet):
    assert published.cells.exclude(suppressed="").exists()


@pytest.mark.parametrize("audience", [Audience.USERS, Audience.RELATIVES])
def test_nothing_small_follows_from_the_spreadsheet(published: ResultSet, audience: str):
    demo = Demo(published, audience)

    found = from_workbook(demo, spreadsheet.workbook(published))

    assert len(found) > 10  # the reading works: most figures are there
    assert demo.attack(found) == {}


@pytest.mark.parametrize("audience", [Audience.USERS, Audience.RELATIVES])
def test_nothing_small_follows_from_the_spreadsheet_and_the_answer_file_together(
    published: ResultSet, audience: str
):
    demo = Demo(published, audience)

    found = merged(
        from_workbook(demo, spreadsheet.workbook(published)),
        from_answer_file(demo, exports.anonymised_csv(published, audience=audience)),
    )

    assert demo.attack(found) == {}


@pytest.mark.parametrize("audience", [Audience.USERS, Audience.RELATIVES])
def test_nothing_small_follows_from_the_public_pages(published: ResultSet, audience: str):
    demo = Demo(published, audience)
    client = Client(HTTP_HOST=published.round.municipality.host or "testserver")

    found = from_public_pages(demo, client)

    assert len(found) > 10
    assert demo.attack(found) == {}


@pytest.mark.parametrize("audience", [Audience.USERS, Audience.RELATIVES])
def test_nothing_small_follows_from_the_static_export(
    published: ResultSet, audience: str, tmp_path
):
    demo = Demo(published, audience)
    export_site(published, tmp_path)
    prefix = f"{audience}-"
    pages = {
        path.stem[len(prefix) :]: path.read_text() for path in tmp_path.glob(f"{prefix}*.html")
    }

    found = from_page_texts(demo, pages)

    # The reading works: each page shows exactly the statements its stored cell shows.
    for key, text in pages.items():
        cell = published.cells.get(audience=audience, key=key)
        stored = {f"s:{k}" for k, entry in (cell.figures or {})["items"].items() if "n" in entry}
        read = {kind for kind in from_page_texts(demo, {key: text}) if kind.startswith("s:")}
        assert read == stored, key
    assert len(pages) > 10
    assert demo.attack(found) == {}


def test_nothing_small_follows_from_the_reports_for_the_councils(published: ResultSet):
    demo = Demo(published, Audience.USERS)
    shown = published.cells.filter(audience=Audience.USERS, level=Level.UNIT, suppressed="")
    reports_read = [from_report(demo, cell.key, reports.unit_report(cell)) for cell in shown]
    area = reports.area_report(published, Audience.USERS)

    found = merged(*reports_read, from_report(demo, "area", area))

    # The reading works: each report shows exactly the statements its stored cell shows.
    for cell, read in zip(shown, reports_read, strict=True):
        stored = {f"s:{k}" for k, entry in (cell.figures or {})["items"].items() if "n" in entry}
        assert set(read) == stored, cell.name
    assert demo.attack(found) == {}


def test_every_group_of_the_answer_file_holds_at_least_min_n_respondents(published: ResultSet):
    for audience in audiences(published):
        data = exports.anonymised_csv(published, audience=audience)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        # Every combination of the file's columns that are not answers: level and group.
        sizes = Counter((row["level"], row["group"]) for row in rows)

        assert rows
        assert min(sizes.values()) >= published.min_n


def test_the_attack_would_find_a_unit_with_few_answers_if_it_were_published(
    published: ResultSet,
):
    """Positive control: publish every group of the spreadsheet's users, hidden ones too, and
    the same reading and attack find a small set."""
    demo = Demo(published, Audience.USERS)
    every: Iterable[frozenset[Atom]] = _groups_by_level_and_name(demo).values()
    statement = demo.spec.statements[0].key

    found = demo.attack({f"s:{statement}": list(every)})

    assert f"s:{statement}" in found
