"""Checking each row of a recipient file, and the whole import."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from .labels import _IDENTITY_NUMBER, _POSTAL_CODE, _shown, identity, normalise_label
from .reading import _FileProblem, _read_table
from .records import ParseResult, Problem, RecipientRow, Severity, UnitChoice
from .vocabulary import DEFAULT_LANGUAGE, LANGUAGE_VALUES, RELATIVE_VALUES

PROGRESS_EVERY = 500
MAX_LENGTHS = {"name": 200, "street_address": 150, "place": 100}


def _postal_code(value: str) -> str | None:
    """Four digits, or None. Excel drops leading zeros (0150 -> 150) and may add ".0"."""
    match = _POSTAL_CODE.fullmatch("".join(value.split()))
    return None if match is None else match.group(1).zfill(4)


class _RowChecker:
    def __init__(
        self,
        header: list[str],
        columns: Mapping[str, int],
        units: Sequence[UnitChoice],
        allow_relatives: bool,
    ) -> None:
        self.header = header
        self.columns = columns
        # A row holds the cells of ``columns`` only, in its order (see ``_Table``).
        self.positions = {field_name: index for index, field_name in enumerate(columns)}
        self.allow_relatives = allow_relatives
        self.units: dict[str, UnitChoice] = {}
        for unit in units:  # names first, so that a code wins over another unit's name
            self.units.setdefault(normalise_label(unit.name), unit)
        for unit in units:
            self.units[normalise_label(unit.code)] = unit
        self.all_services = {key for unit in units for key in unit.service_types}

    def heading(self, field_name: str) -> str:
        return self.header[self.columns[field_name]]

    def check(self, number: int, cells: list[str]) -> tuple[RecipientRow | None, list[Problem]]:
        problems: list[Problem] = []

        def get(field_name: str) -> str:
            index = self.positions.get(field_name)
            return "" if index is None else cells[index]

        def fail(field_name: str, code: str, **params: str | int) -> None:
            problems.append(Problem(number, self.heading(field_name), code, params, Severity.ERROR))

        if get("name") or "first_name" not in self.columns:
            name_field, name = "name", get("name")
        else:  # first and last name in two columns, or a blank name with them present
            name_field = "first_name"
            name = " ".join(part for part in (get("first_name"), get("last_name")) if part)
        name = self.text(name, name_field, "name", fail)
        street_address = self.text(get("street_address"), "street_address", None, fail)

        postal_value = get("postal_code")
        postal_code = _postal_code(postal_value)
        if not postal_value:
            fail("postal_code", "postal_code_missing")
        elif postal_code is None:
            fail("postal_code", "postal_code_malformed", value=_shown(postal_value))

        place = self.text(get("place"), "place", None, fail)

        unit, service_type_id = self.unit_and_service(get("unit"), get("service"), fail)
        language, is_relative = self.language_and_relative(
            get("language"), get("is_relative"), fail
        )

        if (
            problems
            or unit is None
            or postal_code is None
            or language is None
            or is_relative is None
        ):
            return None, problems
        row = RecipientRow(
            row=number,
            name=name,
            street_address=street_address,
            postal_code=postal_code,
            place=place,
            unit_id=unit.id,
            service_type_id=service_type_id,
            language=language,
            is_relative=is_relative,
        )
        return row, problems

    def unit_and_service(
        self, unit_value: str, service_value: str, fail: Callable[..., None]
    ) -> tuple[UnitChoice | None, int | None]:
        """The row's unit (by code or name) and the service it is answered for, if named."""
        unit = self.units.get(normalise_label(unit_value))
        if not unit_value:
            fail("unit", "unit_missing")
        elif unit is None:
            fail("unit", "unit_unknown", value=_shown(unit_value))

        service_type_id: int | None = None
        if service_value:
            key = normalise_label(service_value)
            if key not in self.all_services:
                fail("service", "service_unknown", value=_shown(service_value))
            elif unit is not None:
                if key in unit.service_types:
                    service_type_id = unit.service_types[key]
                else:
                    fail(
                        "service",
                        "service_not_delivered",
                        value=_shown(service_value),
                        unit=unit.name,
                    )
        return unit, service_type_id

    def language_and_relative(
        self, language_value: str, relative_value: str, fail: Callable[..., None]
    ) -> tuple[str | None, bool | None]:
        """The row's language (bokmål if blank) and whether a relative answers."""
        language = LANGUAGE_VALUES.get(normalise_label(language_value).replace("_", "-"))
        if not language_value:
            language = DEFAULT_LANGUAGE
        elif language is None:
            fail("language", "language_unknown", value=_shown(language_value))

        is_relative = RELATIVE_VALUES.get(normalise_label(relative_value).rstrip("."))
        if is_relative is None:
            fail("is_relative", "relative_unknown", value=_shown(relative_value))
        elif is_relative and not self.allow_relatives:
            fail("is_relative", "relatives_not_in_round")
        return language, is_relative

    @staticmethod
    def text(
        value: str,
        field_name: str,
        code_prefix: str | None,
        fail: Callable[..., None],
    ) -> str:
        """Check a free-text field: present, not too long, no identity number in it."""
        prefix = code_prefix or field_name
        if not value:
            fail(field_name, f"{prefix}_missing")
        elif len(value) > MAX_LENGTHS[prefix]:
            fail(field_name, f"{prefix}_too_long", length=len(value), max=MAX_LENGTHS[prefix])
        elif _IDENTITY_NUMBER.search(value):
            fail(field_name, "identity_number_in_field")
        return value


# --- The whole import ---------------------------------------------------------------------


def read_recipients(
    data: bytes,
    *,
    units: Sequence[UnitChoice],
    allow_relatives: bool,
    known: Collection[tuple[str, str, str, int]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ParseResult:
    """Read and check a recipient file; every problem is reported, nothing is raised.

    ``known`` holds the ``identity`` of recipients already in the round; such rows are
    skipped with a warning. ``progress`` is called with (rows done, rows total) every
    ``PROGRESS_EVERY`` rows and once at the end.
    """
    try:
        table = _read_table(data)
    except _FileProblem as exc:
        if progress is not None:
            progress(0, 0)
        return ParseResult(rows=[], problems=[exc.problem], total_rows=0, columns={})

    total = len(table.rows)
    problems = list(table.problems)
    headers_as_written = {f: table.header[i] for f, i in table.columns.items()}
    if any(p.severity == Severity.ERROR for p in problems):
        if progress is not None:
            progress(total, total)
        return ParseResult(rows=[], problems=problems, total_rows=total, columns=headers_as_written)

    checker = _RowChecker(table.header, table.columns, units, allow_relatives)
    known_set: Collection[tuple[str, str, str, int]] = (
        known if isinstance(known, set | frozenset) else set(known)
    )
    first_row_of: dict[tuple[str, str, str, int], int] = {}
    rows: list[RecipientRow] = []
    last_reported = -1
    for done, (number, cells) in enumerate(table.rows, start=1):
        row, row_problems = checker.check(number, cells)
        problems.extend(row_problems)
        if row is not None:
            key = identity(row.name, row.street_address, row.postal_code, row.unit_id)
            if key in known_set:
                problems.append(Problem(number, None, "already_in_round", {}, Severity.WARNING))
            elif key in first_row_of:
                params = {"first_row": first_row_of[key]}
                problems.append(Problem(number, None, "duplicate_merged", params, Severity.WARNING))
            else:
                first_row_of[key] = number
                rows.append(row)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
            last_reported = done
    if progress is not None and last_reported != total:
        progress(total, total)

    # File-level problems come first; within a row, the order of the checks is kept.
    problems.sort(key=lambda p: -1 if p.row is None else p.row)
    return ParseResult(rows=rows, problems=problems, total_rows=total, columns=headers_as_written)
