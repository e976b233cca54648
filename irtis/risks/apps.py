from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "irtis.risks"
    verbose_name = _("Findings and risks")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import evaluators, jobs  # noqa: F401  (the automatic controls; the jobs for workers and schedules)

        kinds.register(
            "risks.finding_overdue", _("Finding overdue"),
            subject=_("Finding %(object)s is overdue (due %(due)s)"),
            template="risks/notifications/finding_overdue.txt",
            channel="both", digest=60,
        )
