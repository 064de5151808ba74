"""Printing letters in the background: the staff pages queue it, the worker typesets."""

from __future__ import annotations

import zipfile
from typing import Any

from django.utils.translation import gettext_lazy as _

from medvirk.core.models import BackgroundTask
from medvirk.core.tasks import Progress, register
from medvirk.surveys import selectors as survey_selectors

from . import files, services
from .models import LetterKind


@register("letters.print", label=_("Print letters"), result_template="letters/task_result.html")
def print_letters(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    params = task.params
    round_ = survey_selectors.round_for_command(pk=params["round"])
    kind = params.get("kind", LetterKind.INVITATION)
    batch_size = params.get("batch_size") or None
    out = files.folder(task.pk)
    stem = "brev" if kind == LetterKind.INVITATION else "paminnelse"

    def paths(number: int) -> Any:
        return out / (f"{stem}-{number:03d}.pdf" if batch_size else f"{stem}.pdf")

    report = services.letters_print(
        actor=task.created_by,
        round_=round_,
        kind=kind,
        paths=paths,
        unit_ids=params.get("units", []),
        batch_size=batch_size,
        progress=progress,
    )
    download = f"{stem}.pdf"
    if batch_size:
        # Numbered batches and the print shop's manifest go out as one ZIP file.
        download = f"{stem}.zip"
        with zipfile.ZipFile(out / download, "w", compression=zipfile.ZIP_STORED) as bundle:
            for name, _letters in report.files:
                bundle.write(out / name, arcname=name)
                (out / name).unlink()
            bundle.writestr("manifest.csv", report.manifest_csv())
    return {
        "round": round_.pk,
        "kind": kind,
        "letters": report.letters,
        "files": report.files,
        "manifest": report.manifest,
        "skipped": report.skipped,
        "download": download,
        "downloaded": False,
    }
