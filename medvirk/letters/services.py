"""Letters: their texts, printing a round's letters, and reissuing one that was lost.

A plain access code exists only inside the PDF a print makes: it is derived from the
recipient's seed while the letter is typeset (surveys.services.code_of) and never stored,
logged or shown on a page. Printing writes files where the caller says; the staff pages put
them in MEDVIRK_LETTERS_DIR and delete them once downloaded.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.documents import pdf as documents_pdf
from medvirk.core.models import BackgroundTask
from medvirk.organisation import audit
from medvirk.organisation.models import User
from medvirk.organisation.services import audit_record
from medvirk.surveys import codes
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Audience, Recipient, Round

from . import composing, render, selectors
from . import text as letter_text
from .models import LetterKind, LetterText

POSTAL_CODE = re.compile(r"^\d{4}$")
# A letter is one sheet: one page, or both sides of it when the text needs them.
MAX_PAGES = 2


# --- the texts -------------------------------------------------------------------------


TEXT_FIELDS = ("title", "body", "closing", "signature_name", "signature_title")


def _problem_message(problem: letter_text.Problem) -> str:
    messages = {
        "empty": _("Write the letter's text."),
        "unknown_placeholder": _(
            "Line %(line)s has {%(name)s}, which is not a placeholder. Use one of those listed."
        ),
        "stray_brace": _(
            "Line %(line)s has a brace that starts or ends no placeholder. Remove it, or write "
            "the placeholder whole, like {navn}."
        ),
        "qr_not_alone": _("Line %(line)s: put {qr} on a line of its own."),
        "qr_missing": _("The letter must show the code: put {qr} on a line of its own."),
    }
    return messages[problem.code] % dict(problem.params)


def check_text(fields: Mapping[str, str]) -> dict[str, list[str]]:
    """Problems with a letter text's fields, as messages per field (empty when usable)."""
    errors: dict[str, list[str]] = {}
    body_problems = letter_text.problems(fields.get("body", ""))
    if body_problems:
        errors["body"] = [_problem_message(p) for p in body_problems]
    for name in ("title", "closing", "signature_name", "signature_title"):
        line_problems = [
            p
            for p in letter_text.problems(fields.get(name, "") or " ", require_qr=False)
            if p.code != "empty"
        ]
        if line_problems:
            errors[name] = [_problem_message(p) for p in line_problems]
    return errors


@transaction.atomic
def letter_text_save(
    *,
    actor: User | None,
    round_: Round,
    kind: str,
    audience: str,
    language: str,
    fields: Mapping[str, str],
) -> LetterText:
    """Save a letter text, refused when a placeholder is unknown or the letter overflows."""
    if round_.state == Round.State.CLOSED:
        raise ValidationError(_("The round is closed; its letters cannot change."))
    if kind not in LetterKind.values or audience not in selectors.audiences_of(round_):
        raise ValueError(f"no {kind} letter for {audience} in this round")
    if language not in (selectors.DEFAULT_LANGUAGE, *selectors.OPTIONAL_LANGUAGES):
        raise ValueError(f"unknown letter language {language!r}")
    data = {name: fields.get(name, "").strip() for name in TEXT_FIELDS}
    errors = check_text(data)
    if errors:
        raise ValidationError(errors)
    candidate = LetterText(round=round_, kind=kind, audience=audience, language=language, **data)
    pages = documents_pdf.page_count(composing.preview_pdf(candidate))
    if pages > MAX_PAGES:
        raise ValidationError(
            {
                "body": _(
                    "The letter needs %(pages)s pages, and it must fit on both sides of one "
                    "sheet (two pages). Shorten the text."
                )
                % {"pages": pages}
            }
        )
    saved = LetterText.objects.filter(
        round=round_, kind=kind, audience=audience, language=language
    ).first()
    before = {name: getattr(saved, name) for name in data} if saved else {}
    if saved is None:
        saved = candidate
    for name, value in data.items():
        setattr(saved, name, value)
    saved.pages, saved.updated_at, saved.updated_by = pages, timezone.now(), actor
    saved.full_clean()
    saved.save()
    audit_record(
        actor=actor,
        municipality=round_.municipality,
        action="letters.text",
        target=round_,
        changes={
            f"{kind}/{audience}/{language}/{name}": values
            for name, values in audit.changes(before, data).items()
        },
    )
    return saved


@transaction.atomic
def letter_text_delete(*, actor: User | None, letter: LetterText) -> None:
    """Stop printing a language: its recipients get bokmål. Bokmål itself stays."""
    if letter.language == selectors.DEFAULT_LANGUAGE:
        raise ValidationError(_("Bokmål letters are always printed; change the text instead."))
    audit_record(
        actor=actor,
        municipality=letter.round.municipality,
        action="letters.text_delete",
        target=letter.round,
        changes={f"{letter.kind}/{letter.audience}/{letter.language}": ["", None]},
    )
    letter.delete()


# --- printing --------------------------------------------------------------------------


def incomplete_address(recipient: Recipient) -> bool:
    return not (
        recipient.name.strip()
        and recipient.street_address.strip()
        and POSTAL_CODE.match(recipient.postal_code or "")
        and recipient.place.strip()
    )


def _of_units(round_: Round, unit_ids: Iterable[int]) -> QuerySet[Recipient]:
    """The round's recipients, or those of some of its units."""
    chosen = Recipient.objects.filter(round=round_)
    unit_ids = list(unit_ids)
    return chosen.filter(unit_id__in=unit_ids) if unit_ids else chosen


def recipients_to_print(
    round_: Round, *, kind: str, unit_ids: Iterable[int] = ()
) -> Iterator[Recipient]:
    """Who gets this kind of letter: everybody an invitation, unused codes a reminder.

    Whether a code is used is not on the recipient (a copy of the database must not tell
    who has answered): each recipient's code is derived with the round's key and looked
    for among the used ones.
    """
    chosen = (
        _of_units(round_, unit_ids).order_by("postal_code", "name", "pk").iterator(chunk_size=2000)
    )
    if kind != LetterKind.REMINDER:
        return chosen
    answered = surveys.answered_test(round_)
    return (recipient for recipient in chosen if not answered(recipient))


def _addressee_count(round_: Round, *, kind: str, unit_ids: Iterable[int] = ()) -> int:
    if kind != LetterKind.REMINDER:
        return _of_units(round_, unit_ids).count()
    return sum(1 for _recipient in recipients_to_print(round_, kind=kind, unit_ids=unit_ids))


def print_missing(round_: Round, *, kind: str, unit_ids: Iterable[int] = ()) -> list[str]:
    """What stops a round's letters from being printed, in words for the adviser."""
    missing = []
    if round_.purged_at is not None or round_.state == Round.State.CLOSED:
        return [_("The round is closed; there is nobody left to write to.")]
    if not (round_.municipality.host or settings.MEDVIRK_PUBLIC_HOST):
        missing.append(
            _(
                "The letters would print no web address to answer at. Set the "
                "municipality's web address in its settings."
            )
        )
    unit_ids = list(unit_ids)
    if not _of_units(round_, unit_ids).exists():
        missing.append(_("The round has no recipients. Import the recipient list first."))
    elif not _addressee_count(round_, kind=kind, unit_ids=unit_ids):
        missing.append(_("Everybody has answered: there is nobody to remind."))
    for audience in selectors.audiences_of(round_):
        if not LetterText.objects.filter(
            round=round_, kind=kind, audience=audience, language=selectors.DEFAULT_LANGUAGE
        ).exists():
            missing.append(
                _(
                    "Read through the bokmål text of the %(letter)s to %(audience)s and save it: "
                    "it must say who signs the letters."
                )
                % {
                    "letter": LetterKind(kind).label.lower(),
                    "audience": Audience(audience).label.lower(),
                }
            )
    units = round_.round_units.select_related("unit")
    if unit_ids:
        units = units.filter(unit_id__in=unit_ids)
    without = [ru.unit.name for ru in units if not ru.has_contact]
    if without:
        missing.append(
            _("These units have no contact person with phone and hours: %(units)s.")
            % {"units": ", ".join(without)}
        )
    return missing


def letters_for(
    round_: Round, *, kind: str, unit_ids: Iterable[int] = (), skipped: list[int] | None = None
) -> Iterator[tuple[Recipient, render.Letter]]:
    """Each recipient's letter, in postal-code order, with their code filled in.

    Recipients with an incomplete address get none; their numbers go into ``skipped``.
    """
    context = composing.context_for(round_, kind)
    round_codes = surveys.round_codes(round_)
    for recipient in recipients_to_print(round_, kind=kind, unit_ids=unit_ids):
        if incomplete_address(recipient):
            if skipped is not None:
                skipped.append(recipient.pk)
            continue
        code = codes.display(round_codes.code_of(recipient))
        yield recipient, composing.letter_for(context, recipient, code)


@dataclass
class PrintReport:
    letters: int = 0
    files: list[tuple[str, int]] = field(default_factory=list)  # file name, letters in it
    manifest: list[tuple[int, str, int]] = field(default_factory=list)  # batch, postal code, n
    skipped: list[int] = field(default_factory=list)  # recipients with incomplete addresses

    def manifest_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["bunke", "postnummer", "antall brev"])
        writer.writerows(self.manifest)
        return out.getvalue()


def _sheet_pages(round_: Round, kind: str) -> int:
    """Pages per letter in a print: two (both sides) if any of its texts needs them."""
    needed = LetterText.objects.filter(round=round_, kind=kind).values_list("pages", flat=True)
    return max(needed, default=1)


def _does_not_fit(exc: render.DoesNotFit) -> str:
    pages = exc.args[0]
    return ngettext(
        "Some letters do not fit on one page once their recipient's details are filled in (a "
        "long name, unit or contact hours). Nothing was printed. Shorten the text and print "
        "again.",
        "Some letters do not fit on %(pages)s pages once their recipient's details are filled "
        "in (a long name, unit or contact hours). Nothing was printed. Shorten the text and "
        "print again.",
        pages,
    ) % {"pages": pages}


def _counted(
    letters: Iterable[tuple[Recipient, render.Letter]],
    report: PrintReport,
    manifest: Counter[tuple[int, str]],
    batch_size: int | None,
) -> Iterator[render.Letter]:
    """The letters as they go to the typesetter, counted into the report and into the
    manifest by batch and postal code."""
    for recipient, letter in letters:
        batch = report.letters // batch_size + 1 if batch_size else 1
        report.letters += 1
        manifest[(batch, recipient.postal_code)] += 1
        yield letter


def letters_print(
    *,
    actor: User | None,
    round_: Round,
    kind: str,
    paths: Callable[[int], Path],
    unit_ids: Iterable[int] = (),
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
) -> PrintReport:
    """Typeset a round's letters (all, or of some units) into one file or numbered batches.

    Reminders go only to recipients whose code is unused, with the same code as before.
    Recipients with an incomplete address are left out and listed in the report.
    """
    unit_ids = list(unit_ids)
    missing = print_missing(round_, kind=kind, unit_ids=unit_ids)
    if missing:
        raise ValidationError(missing)
    if batch_size is not None and batch_size < 1:
        raise ValidationError(_("A batch holds at least one letter."))
    report = PrintReport()
    total = _addressee_count(round_, kind=kind, unit_ids=unit_ids)
    manifest: Counter[tuple[int, str]] = Counter()
    letters = letters_for(round_, kind=kind, unit_ids=unit_ids, skipped=report.skipped)
    try:
        batches = render.render_files(
            _counted(letters, report, manifest, batch_size),
            letterhead=composing.letterhead(round_),
            paths=paths,
            batch_size=batch_size,
            sheet_pages=_sheet_pages(round_, kind),
            total=total,
            processes=processes,
            progress=progress,
        )
    except render.DoesNotFit as exc:
        raise ValidationError(_does_not_fit(exc)) from None
    report.files = [(batch.path.name, batch.letters) for batch in batches]
    report.manifest = [(b, postal, n) for (b, postal), n in sorted(manifest.items())]
    audit_record(
        actor=actor,
        municipality=round_.municipality,
        action="letters.print",
        target=round_,
        changes={
            "kind": [None, kind],
            "letters": [None, report.letters],
            "units": [None, len(unit_ids) or "all"],
        },
    )
    return report


@transaction.atomic
def letters_download(*, actor: User, printed: BackgroundTask) -> None:
    """Record that ``actor`` fetches a print's file (which is then deleted): its status page
    says so, and the audit log has it."""
    result: dict[str, Any] = dict(printed.result or {})
    result["downloaded"] = True
    printed.result = result
    printed.save(update_fields=["result"])
    audit_record(
        actor=actor,
        municipality=printed.municipality,
        action="letters.download",
        target=Round.objects.get(pk=result["round"]),
        changes={"letters": [None, result.get("letters")]},
    )


@transaction.atomic
def recipient_reissue(*, actor: User | None, recipient: Recipient) -> bytes:
    """A new letter for someone who lost theirs: a new code, and the old one stops working.

    Returns the letter as PDF. The audit log records who did it and in which unit — not for
    whom: an audit entry naming the recipient next to the new access code's row would tie
    the two together in any copy of the database (docs/threat-model.md). Never the code.
    """
    locked = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=recipient.pk)
    )
    round_ = locked.round
    if round_.state == Round.State.CLOSED or round_.purged_at is not None:
        raise ValidationError(_("The round is closed; no new letter can be printed."))
    if surveys.code_used(locked):
        raise ValidationError(_("This recipient has answered already; the code is used."))
    if incomplete_address(locked):
        raise ValidationError(
            _(
                "This recipient's address is incomplete. Correct it in the case system and "
                "import the recipient list again, then print the new letter."
            )
        )
    missing = print_missing(round_, kind=LetterKind.INVITATION, unit_ids=[locked.unit_id])
    if missing:
        raise ValidationError(missing)
    try:
        new_code = surveys.recipient_replace_code(recipient=locked)
    except surveys.CodeUsed:
        raise ValidationError(_("This recipient has answered already; the code is used.")) from None
    audit_record(
        actor=actor,
        municipality=round_.municipality,
        action="letters.reissue",
        target=round_,
        changes={"unit": [None, locked.unit.name]},
    )
    context = composing.context_for(round_, LetterKind.INVITATION)
    letter = composing.letter_for(context, locked, codes.display(new_code))
    sheet_pages = _sheet_pages(round_, LetterKind.INVITATION)
    pdf = render.render([letter], letterhead=composing.letterhead(round_), sheet_pages=sheet_pages)
    if documents_pdf.page_count(pdf) > sheet_pages:
        # Raised inside the transaction: the old code keeps working.
        raise ValidationError(_does_not_fit(render.DoesNotFit(sheet_pages)))
    return pdf
