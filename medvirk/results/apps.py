from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "medvirk.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from medvirk.core import tasks as core_tasks
        from medvirk.organisation.audit import register_actions
        from medvirk.surveys import services as surveys

        from . import rules, services, tasks  # noqa: F401  (permissions, background tasks)

        core_tasks.register_housekeeping(services.compute_due)
        post_save.connect(
            _recompute_for_min_n, sender="organisation.Municipality", dispatch_uid="results.min_n"
        )
        surveys.register_before_purge(services.before_purge)
        register_actions(
            {
                "results.compute": _("Results computed"),
                "results.publish": _("Results published"),
                "results.withdraw": _("Results withdrawn"),
                "results.comment": _("Comment screened"),
                "results.export": _("Results exported"),
            }
        )


def _recompute_for_min_n(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A changed smallest group applies at once to every stored result (services.py)."""
    if created or kwargs.get("raw"):
        return
    from . import services

    services.recompute_for_min_n(instance)
