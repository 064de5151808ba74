from django.apps import AppConfig
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "medvirk.core"
    verbose_name = _("Medvirk")

    def ready(self) -> None:
        from . import logs

        request_finished.connect(logs.forget_request, dispatch_uid="medvirk-forget-request")
