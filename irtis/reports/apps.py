from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "irtis.reports"
    verbose_name = _("Management reports")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import jobs  # noqa: F401  (the scheduled reminders and reports)

        kinds.register(
            "reports.recommendation_due", _("Recommendation due"),
            subject=_("Recommendation %(object)s is due on %(date)s"),
            template="reports/notifications/recommendation_due.txt", channel="both", digest=60,
        )
        kinds.register(
            "reports.issued", _("Management report issued"),
            subject=_("Management report for %(period)s"),
            template="reports/notifications/issued.txt", channel="both", digest=0,
        )
