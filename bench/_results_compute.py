"""Time ``results_compute`` on this year's rounds of the benchmark database, in a fresh process.

``python -m bench._results_compute national 1`` computes the results of every national
municipality's current round one after another, as the worker would; ``national 1 0/2``
and ``national 1 1/2`` each half of them, as two workers side by side would; ``municipal 3``
those of the municipal case three times. Before each run the rounds' stored results are deleted
(not timed), so every run computes from scratch and compares with last year's. Prints JSON:
the wall and CPU seconds of each run (CPU of this process only, not of the database server),
the peak resident memory of this process, and what was computed (cells, suppressed cells,
statements suppressed inside shown cells, responses).

Run by bench/results.py with DJANGO_SETTINGS_MODULE and DATABASE_URL set; run it by hand
(with py-spy, say) against a database the benchmark left behind.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import django


def main(case: str, repeats: int, part: str = "0/1") -> None:
    django.setup()
    from django.db.models import Count, Q

    from bench._results_setup import CURRENT, MUNICIPAL_SLUG
    from medvirk.results.models import ResultCell, ResultSet
    from medvirk.results.services import results_compute
    from medvirk.surveys.models import Round

    chosen = Round.objects.filter(name=CURRENT)
    if case == "municipal":
        chosen = chosen.filter(municipality__slug=MUNICIPAL_SLUG)
    elif case == "national":
        chosen = chosen.exclude(municipality__slug=MUNICIPAL_SLUG)
    else:
        sys.exit(f"unknown case {case!r}: national or municipal")
    pks = list(chosen.order_by("municipality__number").values_list("pk", flat=True))
    # "k/n": this process takes every n-th round from the k-th, as one of n workers would.
    k, n = (int(x) for x in part.split("/"))
    pks = pks[k::n]
    runs: list[float] = []
    cpu_runs: list[float] = []
    slowest: list[tuple[float, int]] = []
    for _ in range(repeats):
        ResultSet.objects.filter(round_id__in=pks).delete()
        rounds = list(
            Round.objects.filter(pk__in=pks)
            .select_related("municipality", "service_area", "questionnaire")
            .order_by("municipality__number")
        )
        times: list[tuple[float, int]] = []
        cpu = time.process_time()
        started = time.perf_counter()
        for round_ in rounds:
            began = time.perf_counter()
            results_compute(actor=None, round_=round_)
            times.append((time.perf_counter() - began, round_.pk))
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu)
        slowest = sorted(times, reverse=True)[:5]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cells = ResultCell.objects.filter(result_set__round_id__in=pks)
    totals = cells.aggregate(
        cells=Count("pk"),
        primary=Count("pk", filter=Q(suppressed="primary")),
        secondary=Count("pk", filter=Q(suppressed="secondary")),
    )
    items = 0
    for figures in cells.filter(suppressed="").values_list("figures", flat=True).iterator():
        for entry in (figures or {}).get("items", {}).values():
            items += "suppressed" in entry
    sets = ResultSet.objects.filter(round_id__in=pks)
    json.dump(
        {
            "runs": runs,
            "cpu": cpu_runs,
            "peak_bytes": peak,
            "rounds": len(pks),
            "responses": sum(sets.values_list("responses", flat=True)),
            "compared": sets.filter(compared_with__isnull=False).count(),
            "items_suppressed": items,
            "slowest": [
                {"seconds": s, "round": pk, "units": Round.objects.get(pk=pk).units.count()}
                for s, pk in slowest
            ],
            **totals,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
