from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "irtis.tasks"
    verbose_name = _("Background tasks")

    def ready(self) -> None:
        from . import api, signals  # noqa: F401  (API routes; runs of plain django-tasks tasks)
