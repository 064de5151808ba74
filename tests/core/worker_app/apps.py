from django.apps import AppConfig


class WorkerAppConfig(AppConfig):
    name = "tests.core.worker_app"
    label = "worker_app"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the task kind
