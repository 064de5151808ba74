from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "medvirk.organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.core import checks

        from .oidc import check_role_maps

        checks.register(check_role_maps, checks.Tags.security)
