from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "irtis.risks"
    verbose_name = _("Findings and risks")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.notifications import kinds
        from irtis.systems.models import InformationSystem

        from . import evaluators, jobs  # noqa: F401  (the automatic controls; the jobs for workers and schedules)

        kinds.register(
            "risks.finding_overdue", _("Finding overdue"),
            subject=_("Finding %(object)s is overdue (due %(due)s)"),
            template="risks/notifications/finding_overdue.txt",
            channel="both", digest=60,
        )
        # a link to the system's risk register on its page
        cast(ModelEntry, entry_for(InformationSystem)).add_panel("risks/system_panel.html")
