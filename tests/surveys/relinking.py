"""A reader of database copies who tries to tell which recipient gave which response or draft.

Written from the threat, not from Medvirk's design: the attacker holds copies of the whole
database taken at moments of their choosing — SQLite backups, pg_dump files, the raw heap
pages of every table with the dead tuples in them (as a physical backup or the WAL carries
them) — and the schema that comes with them, but not the server's secrets. They know which
table lists people (names and addresses) and which hold answers (responses, drafts), and
use, against every table:

- diffs: the rows inserted, deleted or changed between two copies, and in particular people
  rows written while someone answered;
- joins: any such row that refers to a person (a foreign key to the people table) or holds
  a value that is one person's alone (a name, an address, a seed, a hash);
- transaction stamps (PostgreSQL pages): every tuple, live or dead, written or deleted by
  the transaction that wrote the answer (``xmin``/``xmax``), joined the same way;
- attributes: every column an answer (or a row it refers to) shares with the people table.

For each answer it keeps the people it cannot rule out. It *names* someone when one is left.
Ordering (which row lies where) is attacked separately (``test_relinking``).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PEOPLE = "surveys_recipient"
ANSWERS = ("surveys_response", "surveys_draft")
# What the attacker knows the audience column means, from the schema's choices.
AUDIENCE_OF_RELATIVE = {"true": "relatives", "false": "users"}


@dataclass(frozen=True)
class Row:
    table: str
    key: str  # the primary key (a tuple's line pointer in raw pages)
    values: dict[str, str | None]
    raw: bytes = b""  # the tuple's bytes as stored, in raw pages
    xmin: int = 0
    xmax: int = 0  # a deleting or updating transaction, or one that only locked the row


@dataclass
class Copy:
    """One copy of the database, as the attacker reads it."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    references: dict[str, dict[str, str]] = field(default_factory=dict)  # table: column: table

    def table(self, name: str) -> list[Row]:
        return self.rows.get(name, [])


# --- taking copies ---------------------------------------------------------------------


def _text(value: Any, declared: str) -> str | None:
    if value is None:
        return None
    if declared.lower().startswith("bool"):
        return "true" if value else "false"
    return str(value)


def sqlite_copy(source: sqlite3.Connection) -> Copy:
    """A copy made with SQLite's backup API, read back with nothing but sqlite3."""
    target = sqlite3.connect(":memory:")
    source.backup(target)
    copy = Copy()
    tables = [
        name
        for (name,) in target.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        info = target.execute(f'PRAGMA table_info("{table}")').fetchall()
        columns = [(row[1], row[2]) for row in info]
        primary = next((row[1] for row in info if row[5] == 1), None)
        copy.references[table] = {
            row[3]: row[2] for row in target.execute(f'PRAGMA foreign_key_list("{table}")')
        }
        names = ", ".join(f'"{name}"' for name, _declared in columns)
        rows = []
        query = f'SELECT rowid, {names} FROM "{table}" ORDER BY rowid'  # noqa: S608 (the schema's names)
        for record in target.execute(query):
            values = {
                name: _text(value, declared)
                for (name, declared), value in zip(columns, record[1:], strict=True)
            }
            key = values[primary] if primary else str(record[0])
            rows.append(Row(table, str(key), values))
        copy.rows[table] = rows
    target.close()
    return copy


def _pg_environment(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    arguments = [
        "--host",
        str(settings_dict.get("HOST") or "127.0.0.1"),
        "--port",
        str(settings_dict.get("PORT") or 5432),
        "--username",
        str(settings_dict.get("USER") or "postgres"),
    ]
    environment = {"PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
    return arguments, environment


_COPY = re.compile(r"^COPY public\.(\w+) \((.*)\) FROM stdin;$")
_FOREIGN = re.compile(
    r"ALTER TABLE ONLY public\.(\w+)\s+ADD CONSTRAINT \w+ FOREIGN KEY \((\w+)\) "
    r"REFERENCES public\.(\w+)\(",
)
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\\\": "\\"}


def _unescape(field_: str) -> str | None:
    if field_ == "\\N":
        return None
    return re.sub(r"\\[tnr\\]", lambda m: _ESCAPES[m.group(0)], field_)


def pg_dump_copy(settings_dict: dict[str, Any]) -> Copy:
    """A copy made with pg_dump, as the nightly backup makes it, parsed from its text."""
    arguments, extra = _pg_environment(settings_dict)
    environment = {**os.environ, **extra}

    def dump(part: str) -> str:
        return subprocess.run(
            ["pg_dump", *arguments, part, "--no-owner", str(settings_dict["NAME"])],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
        ).stdout

    data, schema = dump("--data-only"), dump("--schema-only")
    copy = Copy()
    for table, column, target in _FOREIGN.findall(re.sub(r"\n\s+", " ", schema)):
        copy.references.setdefault(table, {})[column] = target
    lines = iter(data.splitlines())
    for line in lines:
        match = _COPY.match(line)
        if not match:
            continue
        table, columns = match.group(1), [c.strip('"') for c in match.group(2).split(", ")]
        rows: list[Row] = []
        for record in lines:
            if record == "\\.":
                break
            values = {
                name: _bool(_unescape(value))
                for name, value in zip(columns, record.split("\t"), strict=True)
            }
            rows.append(Row(table, str(values.get("id", len(rows))), values))
        copy.rows[table] = rows
    return copy


def _bool(value: str | None) -> str | None:
    return {"t": "true", "f": "false"}.get(value or "", value)


def _varlena(data: bytes) -> bytes:
    if not data:
        return data
    if data[0] & 0x01:  # one-byte header
        return data[1 : data[0] >> 1]
    length = int.from_bytes(data[:4], "little") >> 2
    return data[4:length]


def _decode(data: bytes | None, type_name: str) -> str | None:
    if data is None:
        return None
    if type_name in ("int2", "int4", "int8"):
        return str(int.from_bytes(data, "little", signed=True))
    if type_name == "bool":
        return "true" if data[:1] == b"\x01" else "false"
    if type_name == "uuid":
        return str(uuid.UUID(bytes=bytes(data)))
    if type_name in ("varchar", "text", "bpchar", "jsonb", "json"):
        return _varlena(bytes(data)).decode("utf-8", "replace")
    return bytes(data).hex()


def pg_pages_copy(cursor: Any) -> Copy:
    """Every tuple in every table's heap pages, live and dead, read with pageinspect."""
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    cursor.execute(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )
    tables = cursor.fetchall()
    copy = Copy()
    cursor.execute(
        "SELECT conrelid::regclass::text, a.attname, confrelid::regclass::text"
        " FROM pg_constraint JOIN pg_attribute a"
        " ON a.attrelid = conrelid AND a.attnum = conkey[1] WHERE contype = 'f'"
    )
    for table, column, target in cursor.fetchall():
        copy.references.setdefault(table, {})[column] = target
    for oid, table in tables:
        cursor.execute(
            "SELECT attname, coalesce(typname, '') FROM pg_attribute"
            " LEFT JOIN pg_type ON pg_type.oid = atttypid"
            " WHERE attrelid = %s AND attnum > 0 ORDER BY attnum",
            [oid],
        )
        columns = cursor.fetchall()  # dropped columns included: their slots stay in tuples
        cursor.execute("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [oid])
        (pages,) = cursor.fetchone()
        rows = []
        for page in range(pages):
            cursor.execute(
                "SELECT lp, t_xmin, t_xmax, t_data,"
                " tuple_data_split(%s, t_data, t_infomask, t_infomask2, t_bits)"
                " FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_data IS NOT NULL",
                [oid, table, page],
            )
            for line, xmin, xmax, data, attributes in cursor.fetchall():
                values = {
                    name: _decode(value, type_name)
                    for (name, type_name), value in zip(columns, attributes, strict=False)
                }
                rows.append(Row(table, f"{page}:{line}", values, bytes(data), int(xmin), int(xmax)))
        copy.rows[table] = rows
    return copy


# --- the attack ------------------------------------------------------------------------


def _distinctive(people: list[Row]) -> dict[str, str]:
    """Values that are one person's alone and long enough to mean something: value → key."""
    seen: dict[str, set[str]] = {}
    for person in people:
        for column, value in person.values.items():
            if value is not None and len(value) >= 6 and column != "id":
                seen.setdefault(value, set()).add(person.key)
    return {value: next(iter(keys)) for value, keys in seen.items() if len(keys) == 1}


def _pointed_at(
    row: Row, references: dict[str, dict[str, str]], people: dict[str, Row]
) -> set[str]:
    """The people a row refers to by foreign key, or by holding a value of theirs alone."""
    found = {
        str(row.values.get(column))
        for column, target in references.get(row.table, {}).items()
        if target == PEOPLE and row.values.get(column) in people
    }
    if row.table != PEOPLE:
        distinctive = _distinctive(list(people.values()))
        texts = [value for value in row.values.values() if value]
        for value, key in distinctive.items():
            if any(value in text for text in texts) or (row.raw and value.encode() in row.raw):
                found.add(key)
    return found


def _attributes(target: Row, copy: Copy) -> dict[str, str | None]:
    """The answer's own columns, and what the rows it refers to (one step) say of a person:
    which unit, service, audience and language (their foreign keys and those two)."""
    found = dict(target.values)
    for column, table in copy.references.get(target.table, {}).items():
        value = target.values.get(column)
        referred = next((r for r in copy.table(table) if r.values.get("id") == value), None)
        if referred is None or table == PEOPLE:
            continue
        telling = {*copy.references.get(table, {}), "audience", "language"}
        for name, other in referred.values.items():
            if name in telling:
                found.setdefault(name, other)
    return found


def _matching(target: Row, copy: Copy, people: dict[str, Row]) -> set[str]:
    """The people whose row agrees with every attribute the answer shares with them."""
    attributes = _attributes(target, copy)
    shared = [
        name
        for name in attributes
        if name not in ("id",) and all(name in person.values for person in people.values())
    ]
    matching = set()
    for key, person in people.items():
        agrees = all(person.values.get(name) == attributes[name] for name in shared)
        audience = attributes.get("audience")
        if audience is not None and "is_relative" in person.values:
            agrees = agrees and AUDIENCE_OF_RELATIVE.get(person.values["is_relative"] or "") == (
                audience
            )
        if agrees:
            matching.add(key)
    return matching


def _touched(before: Copy, after: Copy) -> list[Row]:
    """Every row inserted, deleted or changed between two copies (both versions)."""
    touched = []
    for table in set(before.rows) | set(after.rows):
        old = {r.key: r for r in before.table(table)}
        new = {r.key: r for r in after.table(table)}
        for key in set(old) | set(new):
            if old.get(key) is None or new.get(key) is None or old[key].values != new[key].values:
                touched += [r for r in (old.get(key), new.get(key)) if r is not None]
    return touched


def candidates_between(before: Copy, after: Copy) -> dict[str, set[str]]:
    """For each answer that appeared between two copies, the people it may be from."""
    people = {r.key: r for r in before.table(PEOPLE)}
    references = {**before.references, **after.references}
    touched = _touched(before, after)
    written_people = {r.key for r in touched if r.table == PEOPLE}
    found = {}
    for table in ANSWERS:
        known = {r.key for r in before.table(table)}
        for target in after.table(table):
            if target.key in known:
                continue
            left = set(people) & _matching(target, after, people)
            if written_people:
                left &= written_people
            for row in [target, *touched]:
                pointed = _pointed_at(row, references, people)
                if pointed:
                    left &= pointed
            found[f"{table}:{target.key}"] = left
    return found


def newest_versions(rows: Iterable[Row]) -> dict[str, Row]:
    """Each row's newest version by its id (the latest writer), deleted ones included."""
    newest: dict[str, Row] = {}
    for row in rows:
        key = str(row.values.get("id"))
        if key not in newest or row.xmin > newest[key].xmin:
            newest[key] = row
    return newest


def candidates_in_pages(pages: Copy, answers_of: Iterable[str] = ANSWERS) -> dict[str, set[str]]:
    """For each answer in one set of raw pages — live, or deleted like a sent draft — the
    people it may be from, using every tuple (live or dead) that the transactions which
    wrote or deleted it wrote, deleted or locked."""
    people = newest_versions(pages.table(PEOPLE))
    every = [row for rows in pages.rows.values() for row in rows]
    found = {}
    for table in answers_of:
        for key, target in newest_versions(pages.table(table)).items():
            stamps = {target.xmin, target.xmax} - {0}
            same = [r for r in every if r is not target and stamps & {r.xmin, r.xmax}]
            left = set(people) & _matching(target, pages, people)
            written_people = {str(r.values.get("id")) for r in same if r.table == PEOPLE}
            if written_people:
                left &= written_people
            for row in [target, *same]:
                pointed = _pointed_at(row, pages.references, people)
                if pointed:
                    left &= pointed
            found[f"{table}:{key}"] = left
    return found


def named(candidates: dict[str, set[str]]) -> dict[str, str]:
    """The answers the attacker pins on one person: answer → that person's key."""
    return {answer: next(iter(left)) for answer, left in candidates.items() if len(left) == 1}
