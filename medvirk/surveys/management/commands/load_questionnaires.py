"""Load the built-in questionnaires (medvirk/surveys/questionnaires/*.toml). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medvirk.surveys import services
from medvirk.surveys.questionnaire import QuestionnaireError

from ._common import SurveyCommand


class Command(SurveyCommand):
    help = "Load the built-in questionnaires into the database (run after every upgrade)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = services.questionnaire_load_builtin()
        except QuestionnaireError as exc:
            raise CommandError("; ".join(exc.problems)) from None
        for entry in loaded:
            q = entry.questionnaire
            state = _("loaded") if entry.created else _("already loaded")
            self.stdout.write(f"{q.key} v{q.version}: {state}")
