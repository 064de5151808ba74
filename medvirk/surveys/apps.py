from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "medvirk.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from medvirk.organisation.audit import register_actions, register_change_labels

        from . import tasks  # noqa: F401  (registers the background tasks)

        register_actions(
            {
                "questionnaire.copy": _("Questionnaire copied"),
                "questionnaire.update_texts": _("Questionnaire texts changed"),
                "round.create": _("Survey round created"),
                "round.update": _("Survey round changed"),
                "round.set_units": _("Units of survey round changed"),
                "round.set_contact": _("Contact person of survey round changed"),
                "round.open": _("Survey round opened"),
                "round.close": _("Survey round closed"),
                "round.import_recipients": _("Recipients imported"),
                "round.purge_recipients": _("Recipients purged"),
                "round.enter_response": _("Paper or interview response entered"),
            }
        )
        register_change_labels(
            {
                "units": _("Units"),
                "recipients": _("Recipients"),
                "contact": _("Contact person"),
                "mode": _("Answer mode"),
            }
        )
