from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "irtis.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.notifications import kinds
        from irtis.systems.models import InformationSystem

        from . import api, jobs  # noqa: F401  (the jobs the schedules may start; the API's endpoints)
        from .models import TARGETS, Check, Incident

        cast(ModelEntry, entry_for(InformationSystem)).add_panel("monitoring/system_panel.html", first=True)
        cast(ModelEntry, entry_for(Check)).add_panel("monitoring/check_panel.html", first=True)
        cast(ModelEntry, entry_for(Check)).add_panel("monitoring/check_snmp_panel.html")
        cast(ModelEntry, entry_for(Incident)).add_panel("monitoring/incident_panel.html")
        from django.apps import apps

        for label in TARGETS:  # the availability of whatever checks watch (a system has its own panel)
            if label != "systems.informationsystem" and (entry := entry_for(apps.get_model(label))) is not None:
                entry.add_panel("monitoring/object_panel.html")

        kinds.register(
            "monitoring.incident_opened", _("Incident opened"),
            subject=_("Incident %(object)s: %(count)s systems affected"),
            template="monitoring/notifications/incident_opened.txt", digest=1,
        )
        kinds.register(
            "monitoring.report_due", _("Incident report due"),
            subject=_("Incident %(object)s: a report is due %(due)s"),
            template="monitoring/notifications/report_due.txt", digest=5,
        )
