from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "medvirk.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from medvirk.organisation.audit import register_actions, register_change_labels

        from . import rules  # noqa: F401  (permissions)

        register_actions(
            {
                "api.key_create": _("API key created"),
                "api.key_revoke": _("API key revoked"),
                "api.recipients_import": _("Recipient import started through the API"),
            }
        )
        register_change_labels({"round": _("Round"), "task": _("Background task")})
