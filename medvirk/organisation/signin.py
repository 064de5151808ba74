"""How staff sign-in is throttled: django-axes, with one limit per counter.

Axes keeps a row per (username, address, browser) with the wrong passwords from it, and
compares one number with one limit. Medvirk counts three ways, each with its own limit
within the cool-off period (settings ``MEDVIRK_SIGNIN_*``):

- the account from this address: a person mistyping, or someone guessing one account from
  one place (5);
- this address, whatever the account: one place trying many accounts, say one password
  against every username (30; a town hall's staff share one address);
- the account, from anywhere: one account guessed from many addresses (20), each address
  counting at most as much as locks it by itself (5), so that one address hammering an
  account locks only itself. Not counted at an address the account has signed in from
  within ``MEDVIRK_SIGNIN_KNOWN_DAYS``, so that guessing from elsewhere cannot keep the
  real user out, only slow the guessers.

A lock ends by itself once the cool-off period has passed since the last attempt: nobody is
locked for good, and a system administrator can open it sooner (``signin_unlock``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from medvirk.core.clientip import client_address, client_network


def signin_address(request: HttpRequest) -> str:
    """The address sign-in attempts are counted under: the proxy's word, as for codes.

    An IPv6 visitor is counted by their /64 (they usually hold all of it), written as its
    first address because axes stores an address, not a network.
    """
    return client_network(client_address(request)).split("/")[0]


def signin_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username attempts are counted under: as typed, without case or spaces around."""
    raw = credentials.get("username") if credentials else request.POST.get("username")
    return str(raw or "").strip().lower()


def client_for_log(
    username: str, ip_address: str, user_agent: str, path_info: Any, request: HttpRequest
) -> str:
    """How axes names an attempt in its log lines: by the page only. The username and the
    address would put a person (or a typed password, by mistake) in the log; the request
    id on the line leads to the rest, which axes keeps in the database."""
    path = path_info[0] if isinstance(path_info, list | tuple) else path_info
    return f"sign-in at {path}"


def _failures(condition: Q, since: datetime, *, per_address_cap: int | None = None) -> int:
    """Failures within the period; with ``per_address_cap``, each address counts at most
    that many (what locks that address by itself), so that one address hammering an account
    locks itself, not the account everywhere."""
    recent = AccessAttempt.objects.filter(condition, attempt_time__gte=since)
    if per_address_cap is None:
        return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)
    per_address = recent.values("ip_address").annotate(total=Sum("failures_since_start"))
    return sum(min(int(row["total"]), per_address_cap) for row in per_address)


def known_address(username: str, address: str) -> bool:
    """Whether the account has signed in from this address within the known period."""
    days = settings.MEDVIRK_SIGNIN_KNOWN_DAYS
    if not username or days < 1:
        return False
    return AccessLog.objects.filter(
        username__iexact=username,
        ip_address=address,
        attempt_time__gte=timezone.now() - timedelta(days=days),
    ).exists()


class SignInThrottle(AxesDatabaseHandler):
    """Axes's database handler, with a limit per counter (see the module's docstring)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """How far the nearest counter is from its limit, on the scale of AXES_FAILURE_LIMIT.

        Axes locks when this reaches ``AXES_FAILURE_LIMIT``, i.e. when any counter reaches
        its own limit.
        """
        username = get_client_username(request, credentials) or ""
        address = request.axes_ip_address
        since = get_cool_off_threshold(request)
        per_pair = settings.MEDVIRK_SIGNIN_FAILURES
        counts = [
            _failures(Q(username=username, ip_address=address), since) - per_pair,
            _failures(Q(ip_address=address), since) - settings.MEDVIRK_SIGNIN_ADDRESS_FAILURES,
        ]
        if username and not known_address(username, address):
            everywhere = _failures(Q(username=username), since, per_address_cap=per_pair)
            counts.append(everywhere - settings.MEDVIRK_SIGNIN_ACCOUNT_FAILURES)
        return int(settings.AXES_FAILURE_LIMIT) + max(counts)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        """After a right password, forget this account's mistakes from this address only.

        Axes's own reset would also clear the address's count, which an insider could then
        clear between guesses at others' accounts by signing in to their own.
        """
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=signin_username(request, {"username": user.get_username()}),
            ip_address=request.axes_ip_address,
        ).delete()


def locked_until(username: str) -> datetime | None:
    """When the account's newest counted failure stops counting, or None if there is none."""
    cool_off = settings.AXES_COOLOFF_TIME
    latest = (
        AccessAttempt.objects.filter(
            username=username.strip().lower(), attempt_time__gte=timezone.now() - cool_off
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return latest + cool_off if latest is not None else None


def account_failures(username: str) -> int:
    """Wrong passwords for this account within the cool-off period, from anywhere."""
    return _failures(
        Q(username=username.strip().lower()), timezone.now() - settings.AXES_COOLOFF_TIME
    )
