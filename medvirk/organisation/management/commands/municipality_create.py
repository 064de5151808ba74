"""Set up a municipality and its first system administrator on a new installation."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from medvirk.organisation import services
from medvirk.organisation.models import Role


class Command(BaseCommand):
    help = (
        "Create a municipality with service area 05 and a system administrator who can "
        "build the rest in the staff pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='e.g. "Drammen kommune"')
        parser.add_argument("--slug", required=True, help="short name in lower case, e.g. drammen")
        parser.add_argument("--number", required=True, help="four-digit municipality number")
        parser.add_argument("--host", default="", help="host name, e.g. medvirk.drammen.kommune.no")
        parser.add_argument("--admin", required=True, help="username of the first administrator")
        parser.add_argument("--admin-name", default="", help='"First Last" of the administrator')
        parser.add_argument(
            "--admin-password",
            default="",
            help="password for the administrator; asked for when left out",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["admin_password"] or getpass.getpass("Administrator's password: ")
        first, _, last = options["admin_name"].partition(" ")
        try:
            password_validation.validate_password(password)
            with transaction.atomic():
                municipality = services.municipality_create(
                    actor=None,
                    name=options["name"],
                    slug=options["slug"],
                    number=options["number"],
                    host=options["host"],
                )
                services.service_area_create(
                    actor=None, municipality=municipality, code="05", name="Helse, sosial og omsorg"
                )
                services.user_create(
                    actor=None,
                    municipality=municipality,
                    username=options["admin"],
                    first_name=first or options["admin"],
                    last_name=last,
                    password=password,
                    role=Role.SYSTEM_ADMIN,
                )
        except ValidationError as exc:
            raise CommandError("; ".join(_messages(exc))) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {municipality} with administrator {options['admin']}.")
        )


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()]
    return list(exc.messages)
