"""The baseline: the national round's figures with plain pandas, without any suppression.

Reads this year's responses of the national municipalities from PostgreSQL with psycopg
(``cursor.fetchall()`` into ``pandas.DataFrame``; the units with their district and
municipality in a second query), turns the answer strings into a (responses × statements)
array the way compute.py does (one ``numpy.frombuffer`` over the joined strings), and then,
per unit, per district and per municipality (the service area), per statement, computes with
``groupby``: the number of valid answers, the mean, the standard deviation and the count per
point of the scale. No importance, no sections, no service groups, no suppression, no
comparison, nothing stored: what a quick script would do.

Then checks the figures against what Medvirk stored for the whole service areas (never
suppressed): valid answers and counts per point must agree exactly.

Prints JSON: seconds reading, seconds computing, groups, and the check.
``python -m bench._results_pandas DATABASE_URL``, with DJANGO_SETTINGS_MODULE set (Django is
only asked for the statements' keys, before the clock starts).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, cast

import django
import numpy as np
import pandas as pd
import psycopg


def _count(table: pd.DataFrame, row: Any, column: str) -> int:
    # groupby's count(), and sum() over booleans, give int64 in every cell.
    return int(cast(np.int64, table.at[row, column]))


def main(url: str) -> None:
    django.setup()
    from bench._results_setup import CURRENT, MUNICIPAL_SLUG, QUESTIONNAIRE
    from medvirk.surveys.models import Questionnaire

    spec = Questionnaire.objects.get(municipality=None, key=QUESTIONNAIRE).spec
    keys = [s.key for s in sorted(spec.statements, key=lambda s: s.index)]
    points = spec.scale.points
    width = len(keys)

    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.unit_id, r.scores FROM surveys_response r"
                " JOIN surveys_round ro ON ro.id = r.round_id"
                " JOIN organisation_municipality m ON m.id = ro.municipality_id"
                " WHERE ro.name = %s AND m.slug <> %s AND r.audience = 'users'",
                (CURRENT, MUNICIPAL_SLUG),
            )
            responses = pd.DataFrame.from_records(cursor.fetchall(), columns=["unit", "scores"])
            cursor.execute(
                "SELECT u.id, u.district_id, a.municipality_id FROM organisation_unit u"
                " JOIN organisation_servicearea a ON a.id = u.service_area_id"
            )
            units = pd.DataFrame.from_records(
                cursor.fetchall(), columns=["unit", "district", "municipality"]
            ).set_index("unit")
        read = time.perf_counter() - started

        started = time.perf_counter()
        codes = np.frombuffer("".join(responses["scores"]).encode("ascii"), dtype=np.uint8).reshape(
            len(responses), width
        )
        valid = (codes > ord("0")) & (codes <= ord("0") + points)
        frame = pd.DataFrame(
            np.where(valid, codes.astype(np.float64) - ord("0"), np.nan), columns=keys
        )
        frame["unit"] = responses["unit"].to_numpy()
        frame["district"] = responses["unit"].map(units["district"]).to_numpy()
        frame["municipality"] = responses["unit"].map(units["municipality"]).to_numpy()
        at_point = {point: frame[keys] == point for point in range(1, points + 1)}
        figures: dict[str, dict[str, pd.DataFrame]] = {}
        for level in ("unit", "district", "municipality"):
            grouped = frame.groupby(level)[keys]
            out = {"n": grouped.count(), "mean": grouped.mean(), "sd": grouped.std()}
            for point, hits in at_point.items():
                out[f"count_{point}"] = hits.groupby(frame[level]).sum()
            figures[level] = out
        computed = time.perf_counter() - started

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ro.municipality_id, c.figures FROM results_resultcell c"
                " JOIN results_resultset rs ON rs.id = c.result_set_id"
                " JOIN surveys_round ro ON ro.id = rs.round_id"
                " JOIN organisation_municipality m ON m.id = ro.municipality_id"
                " WHERE c.level = 'area' AND c.audience = 'users'"
                " AND ro.name = %s AND m.slug <> %s",
                (CURRENT, MUNICIPAL_SLUG),
            )
            stored = cursor.fetchall()
    area = figures["municipality"]
    checked = mismatches = 0
    for municipality, cell in stored:
        for key in keys:
            entry = cell["items"][key]
            ours = [_count(area[f"count_{p}"], municipality, key) for p in range(1, points + 1)]
            checked += 1
            if entry.get("counts") != ours or entry.get("n") != _count(
                area["n"], municipality, key
            ):
                mismatches += 1
    json.dump(
        {
            "read": read,
            "compute": computed,
            "responses": len(responses),
            "groups": {level: len(out["n"]) for level, out in figures.items()},
            "checked": checked,
            "mismatches": mismatches,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
