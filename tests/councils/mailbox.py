"""A mail backend for the tests that refuses some addresses, as an SMTP server does."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Like the locmem backend, but an address with "bounce" in it is refused (550)."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            refused = [address for address in message.recipients() if "bounce" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 No such user"))
                )
        return super().send_messages(messages)


class UnreachableBackend(EmailBackend):
    """A mail server that cannot be reached: every message fails as a refused connection."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        raise ConnectionRefusedError(111, "Connection refused")
