from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "medvirk.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from medvirk.core import tasks as core_tasks
        from medvirk.organisation import services as organisation
        from medvirk.organisation.audit import register_actions, register_change_labels
        from medvirk.surveys import services as surveys

        from . import rules, services, tasks  # noqa: F401  (permissions, background tasks)

        core_tasks.housekeeping_jobs.register(services.compute_due)
        organisation.after_min_n_change.register(services.recompute_for_min_n)
        surveys.before_purge.register(services.before_purge)
        register_actions(
            {
                "results.compute": _("Results computed"),
                "results.publish": _("Results published"),
                "results.withdraw": _("Results withdrawn"),
                "results.comment": _("Comment screened"),
                "results.export": _("Results exported"),
            }
        )
        register_change_labels(
            {
                "responses": _("Responses"),
                "suppressed": _("Hidden cells"),
                "comment": _("Comments"),
                "file": _("File"),
            }
        )
