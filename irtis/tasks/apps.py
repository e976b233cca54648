from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "irtis.tasks"
    verbose_name = _("Background tasks")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import api, signals  # noqa: F401  (API routes; runs of plain django-tasks tasks)

        autodiscover_modules("jobs")  # every app's jobs.py: the jobs that schedules may name
