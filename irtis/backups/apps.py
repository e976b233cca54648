from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "irtis.backups"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the jobs for schedules and workers)
