"""Checking a code a respondent typed, with the throttle that stops guessing."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from medvirk.core import clientip
from medvirk.organisation.models import Municipality

from .. import codes, keyring, throttle
from ..models import AccessCode, CodeFailureWindow, Round
from .access_codes import _key, _scheme_of, round_codes

logger = logging.getLogger(__name__)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a typed code: an access code to answer with, or why not."""

    access_code: AccessCode | None = None
    blocked_until: datetime | None = None
    not_found: bool = False  # wrong, used, or of a purged round: one answer for all
    typo: bool = False  # its check character does not fit: mistyped, not counted as a guess
    round: Round | None = None  # set when the code is right but its round is not open


class DatabaseStore:
    """Throttle counts in ``CodeFailureWindow``; old windows are deleted as new ones start."""

    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        wanted = Q()
        for key, start in windows:
            wanted |= Q(key=key, window_start=start)
        found = {
            (key, start): n
            for key, start, n in CodeFailureWindow.objects.filter(wanted).values_list(
                "key", "window_start", "failures"
            )
        }
        return [found.get(window, 0) for window in windows]

    def add_failure(self, key: str, window_start: datetime) -> None:
        rows = CodeFailureWindow.objects.filter(key=key, window_start=window_start)
        if rows.update(failures=F("failures") + 1):
            return
        try:
            with transaction.atomic():
                CodeFailureWindow.objects.create(key=key, window_start=window_start, failures=1)
        except IntegrityError:
            rows.update(failures=F("failures") + 1)
            return
        longest = max(
            settings.MEDVIRK_CODE_CLIENT_WINDOW,
            settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW,
            settings.MEDVIRK_CODE_FAILURE_MEMORY,
        )
        ended_a_day_ago = window_start - timedelta(seconds=longest) - timedelta(days=1)
        CodeFailureWindow.objects.filter(window_start__lt=ended_a_day_ago).delete()

    def remove_failure(self, key: str, window_start: datetime) -> None:
        CodeFailureWindow.objects.filter(key=key, window_start=window_start, failures__gt=0).update(
            failures=F("failures") - 1
        )


def client_key(address: str) -> str:
    """A throttle key for a client's address (IPv4) or network (IPv6 /64); the address
    itself is never stored."""
    network = clientip.client_network(address)
    digest = hmac.new(_key("client"), network.encode(), hashlib.sha256).hexdigest()
    return f"client:{digest[:32]}"


def throttle_policy() -> throttle.Policy:
    return throttle.Policy(
        client=throttle.Limit(
            settings.MEDVIRK_CODE_CLIENT_FAILURES,
            timedelta(seconds=settings.MEDVIRK_CODE_CLIENT_WINDOW),
        ),
        budget=throttle.Limit(
            settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES,
            timedelta(seconds=settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW),
        ),
        memory=timedelta(seconds=settings.MEDVIRK_CODE_FAILURE_MEMORY),
    )


def throttle_keys(municipality: Municipality, client: str) -> throttle.Keys:
    return throttle.Keys(client=client, municipality=f"municipality:{municipality.pk}")


def access_code_find(*, municipality: Municipality, code: str) -> AccessCode | None:
    """The access code a (normalised) code is, among the municipality's rounds with keys.

    The code is hashed with each candidate round's key and all are looked for at once.
    """
    rounds = Round.objects.filter(
        municipality=municipality, purged_at=None, code_scheme=_scheme_of(code)
    ).exclude(key_fingerprint="")
    wanted: dict[int, str] = {}
    for candidate in rounds:
        try:
            wanted[candidate.pk] = round_codes(candidate).lookup_of(code)
        except keyring.KeyProblem as exc:
            logger.error("survey codes of round %s cannot be checked: %s", candidate.pk, exc)
    if not wanted:
        return None
    found = list(
        AccessCode.objects.select_related("round", "unit")
        .filter(lookup__in=wanted.values(), round_id__in=wanted)
        .order_by()
    )
    return next((a for a in found if wanted.get(a.round_id) == a.lookup), None)


def code_check(
    *,
    municipality: Municipality,
    typed: str,
    client: str,
    now: datetime | None = None,
    store: throttle.Store | None = None,
) -> CodeCheck:
    """Check a typed code under the throttle. Wrong and used codes get the same answer.

    What can be nobody's code — the wrong length, a character not in the alphabet, a check
    character that does not fit — is a typing error, told as such and not counted: nothing
    is looked up.
    """
    now = now or timezone.now()
    store = store or DatabaseStore()
    code = codes.normalise(typed)
    if code is None or not codes.check_ok(code):
        return CodeCheck(typo=True)
    policy, keys = throttle_policy(), throttle_keys(municipality, client)
    decision = throttle.admit(store, policy, keys, now)
    if not decision.admitted:
        return CodeCheck(blocked_until=decision.until)
    found = access_code_find(municipality=municipality, code=code)
    if found is None or found.used:
        if decision.budget_used_up:
            logger.warning(
                "code guessing budget used up for municipality %s until %s; only visitors "
                "without recent wrong codes are let through",
                municipality.slug,
                (policy.budget.window_start(now) + policy.budget.window).isoformat(),
            )
        return CodeCheck(not_found=True)
    throttle.forgive(store, policy, keys, now)  # a right code never counts
    if found.round.phase_at(now) != Round.Phase.ACCEPTING:
        return CodeCheck(round=found.round)
    return CodeCheck(access_code=found)
