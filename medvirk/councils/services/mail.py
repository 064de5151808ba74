"""Papers by e-mail, typeset and sent by the background worker, never in the request that
asked for them, with each recipient's delivery recorded."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Collection

from django.core import mail
from django.utils.translation import gettext as _

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import User

from .. import selectors
from ..models import Delivery, Meeting
from ._common import _municipality

logger = logging.getLogger(__name__)


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else message


def _refusal(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        reasons = [f"{code} {_text(message)}" for code, message in exc.recipients.values()]
        return _("The mail server refused the address (%(reason)s).") % {
            "reason": "; ".join(reasons)
        }
    if isinstance(exc, smtplib.SMTPException):
        return _("The mail server refused the message (%(reason)s).") % {"reason": exc}
    return _("The mail server could not be reached (%(reason)s).") % {"reason": exc}


def queue_papers(
    actor: User | None, meeting: Meeting, papers: str, only: Collection[int] | None = None
) -> BackgroundTask:
    """Queue the sending of a meeting's papers, in the caller's transaction: the papers go
    only if the change that sends them is committed, and the request that made it neither
    typesets nor waits for the mail server."""
    return tasks.enqueue(
        kind=Delivery.TASK,
        municipality=_municipality(meeting.council),
        actor=actor,
        params={
            "meeting": meeting.pk,
            "papers": papers,
            "only": sorted(only) if only is not None else None,
        },
    )


def send_papers(
    meeting_id: int,
    papers: str,
    only: Collection[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Delivery]:
    """E-mail a meeting's notice or minutes (as PDF) to each member, one message each.

    Run by the worker (``councils.tasks``). Every recipient gets a ``Delivery``: sent,
    refused by the mail server (with its reason), or not sent for want of an address. One
    refusal stops nothing else; the mail server is given ``EMAIL_TIMEOUT`` seconds.
    """
    from .. import papers as documents

    meeting = Meeting.objects.select_related(
        "council__unit__service_area__municipality", "plan"
    ).get(pk=meeting_id)
    members = [m for m in selectors.recipients(meeting) if only is None or m.pk in set(only)]
    made: bytes | None = None
    failure = ""
    try:
        made = (
            documents.notice_pdf(meeting)
            if papers == Delivery.Papers.NOTICE
            else documents.minutes_pdf(meeting)
        )
    except Exception:
        logger.exception("the %s of meeting %s could not be typeset", papers, meeting_id)
        failure = _("The papers could not be made; it has been logged. Try again later.")
    subject, body = documents.mail_text(meeting, papers)
    filename = documents.filename(meeting, papers)
    connection = mail.get_connection()  # settings.EMAIL_BACKEND, the console by default
    found: list[Delivery] = []
    for done, member in enumerate(members):
        if progress is not None:
            progress(done, len(members))
        delivery = Delivery(
            meeting=meeting, papers=papers, membership=member, name=member.name, email=member.email
        )
        if not member.email:
            delivery.status = Delivery.Status.NO_ADDRESS
        elif made is None:
            delivery.status, delivery.error = Delivery.Status.FAILED, failure
        else:
            message = mail.EmailMessage(
                subject=subject,
                body=body,
                to=[member.email],
                reply_to=[meeting.council.unit.email] if meeting.council.unit.email else None,
                connection=connection,
            )
            message.attach(filename, made, "application/pdf")
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning(
                    "papers of meeting %s not delivered to %s: %s", meeting_id, member.pk, exc
                )
                delivery.status, delivery.error = Delivery.Status.FAILED, _refusal(exc)
            else:
                delivery.status = Delivery.Status.SENT
        found.append(delivery)
    Delivery.objects.bulk_create(found)
    return found
