from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "irtis.backups"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from irtis.architecture import infrastructure
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.systems.models import InformationSystem

        from . import api, architecture, jobs  # noqa: F401  (the jobs for workers and schedules; the API's endpoints)

        infrastructure.add_section(architecture.section)  # the infrastructure description's backup section

        # a link to the system's backups and drills on its page (a registered model of systems)
        cast(ModelEntry, entry_for(InformationSystem)).add_panel("backups/system_panel.html")
