"""The heading row matched to Medvirk's fields."""

from __future__ import annotations

from .labels import _FIELD_BY_KEY, _header_key, _looks_like_identity_number_header, _shown
from .records import Problem, Severity

_REQUIRED = ("street_address", "postal_code", "place", "unit")


def _suggested_headers(field_name: str) -> str:
    if field_name == "name":
        return "Navn, Fornavn + Etternavn, Name, First name + Last name"
    examples = {
        "street_address": "Adresse, Address",
        "postal_code": "Postnr, Postnummer, Postal code",
        "place": "Poststed, Place",
        "unit": "Virksomhet, Enhet, Unit",
    }
    return examples[field_name]


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column index, and the file-level problems with the headings."""
    found: dict[str, list[int]] = {}
    unknown: list[str] = []
    identity_columns: list[str] = []
    for index, heading in enumerate(header):
        if not heading:
            continue
        key = _header_key(heading)
        field_name = _FIELD_BY_KEY.get(key)
        if field_name is not None:
            found.setdefault(field_name, []).append(index)
            continue
        if heading not in unknown:
            unknown.append(heading)
        if _looks_like_identity_number_header(key) and heading not in identity_columns:
            identity_columns.append(heading)

    problems: list[Problem] = []
    has_name = "name" in found or ("first_name" in found and "last_name" in found)
    missing = ([] if has_name else ["name"]) + [f for f in _REQUIRED if f not in found]
    for field_name in missing:
        params = {"field": field_name, "headers": _suggested_headers(field_name)}
        problems.append(Problem(None, None, "column_missing", params, Severity.ERROR))
    for field_name, indexes in found.items():
        if len(indexes) > 1:
            headers = ", ".join(_shown(header[i]) for i in indexes)
            params = {"field": field_name, "headers": headers}
            problems.append(Problem(None, None, "column_duplicate", params, Severity.ERROR))
    if identity_columns:
        params = {
            "headers": ", ".join(map(_shown, unknown)),
            "identity_headers": ", ".join(map(_shown, identity_columns)),
        }
        problems.append(
            Problem(None, None, "columns_ignored_identity_number", params, Severity.WARNING)
        )
    elif unknown:
        params = {"headers": ", ".join(map(_shown, unknown))}
        problems.append(Problem(None, None, "columns_ignored", params, Severity.WARNING))
    return {f: indexes[0] for f, indexes in found.items()}, problems


# --- Rows ------------------------------------------------------------------------------------
