from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "medvirk.letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from medvirk.core import tasks as core_tasks
        from medvirk.organisation.audit import register_actions, register_change_labels

        from . import files, tasks  # noqa: F401  (registers the background task)

        core_tasks.housekeeping_jobs.register(files.delete_old)
        register_actions(
            {
                "letters.text": _("Letter text changed"),
                "letters.text_delete": _("Letter language removed"),
                "letters.print": _("Letters printed"),
                "letters.reissue": _("Lost letter reissued with a new code"),
                "letters.download": _("Printed letters downloaded"),
            }
        )
        register_change_labels(
            {
                "kind": _("Kind"),
                "letters": _("Letters"),
                "units": _("Units"),
            }
        )
