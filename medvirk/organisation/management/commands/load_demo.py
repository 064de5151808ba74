"""Load the demo municipality (idempotent) and print how to sign in. Used by `make run`.

After the organisation, every module with a ``demo.py`` that defines
``extend_demo(municipality) -> list[str]`` adds its part (a survey round, …) and the lines
it returns are printed; ``{port}`` in them becomes the server's port.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from medvirk.organisation import demo
from medvirk.organisation.models import RoleAssignment


class Command(BaseCommand):
    help = "Create the demo municipality with staff in every role, unless it exists."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._load()

    def _load(self) -> None:
        password_file = Path(settings.DATA_DIR) / "demo-password.txt"
        password = demo.demo_password()
        result = demo.load_demo(password=password)
        if result.created:
            self._remember(password_file, password)
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {result.municipality}"))
        elif password_file.is_file():
            password = password_file.read_text(encoding="utf-8").strip()
            self.stdout.write(f"Demo already loaded, kept as it is: {result.municipality}")
        else:
            demo.reset_demo_passwords(password=password)
            self._remember(password_file, password)
            self.stdout.write(
                f"Demo already loaded: {result.municipality}. Its staff got a new password."
            )
        self._print_logins(result.usernames, password)
        port = os.environ.get("PORT", "8000")
        for config in apps.get_app_configs():
            if not config.name.startswith("medvirk.") or config.label == "organisation":
                continue
            if importlib.util.find_spec(f"{config.name}.demo") is None:
                continue
            module = importlib.import_module(f"{config.name}.demo")
            for line in module.extend_demo(result.municipality):
                self.stdout.write(line.replace("{port}", port))
            self.stdout.write("")

    def _remember(self, path: Path, password: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n", encoding="utf-8")
        path.chmod(0o600)

    def _print_logins(self, usernames: list[str], password: str) -> None:
        port = os.environ.get("PORT", "8000")
        assignments = RoleAssignment.objects.filter(user__username__in=usernames).select_related(
            "user", "unit", "service_area", "municipality"
        )
        self.stdout.write("")
        self.stdout.write(f"Staff sign-in: http://127.0.0.1:{port}/staff/login/")
        self.stdout.write(f"Password for every demo user: {password}")
        self.stdout.write("")
        self.stdout.write(f"  {'username':<22}role")
        for assignment in sorted(assignments, key=lambda a: usernames.index(a.user.username)):
            self.stdout.write(f"  {assignment.user.username:<22}{assignment}")
        self.stdout.write("")
