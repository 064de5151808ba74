"""Computing results in the background: the staff pages queue it, the worker computes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from medvirk.core.models import BackgroundTask
from medvirk.core.tasks import Progress, register
from medvirk.surveys import selectors as survey_selectors

from . import services


@register("results.compute", label=_("Compute results"), result_template="results/task_result.html")
def compute_results(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    round_ = survey_selectors.round_for_command(pk=task.params["round"])
    result_set = services.results_compute(actor=task.created_by, round_=round_, progress=progress)
    return {
        "round": round_.pk,
        "responses": result_set.responses,
        "state": result_set.state,
        "suppressed": result_set.cells.exclude(suppressed="").count(),
        "cells": result_set.cells.count(),
    }
