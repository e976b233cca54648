from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "irtis.procurement"
    verbose_name = _("Procurement and suppliers")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import api, jobs  # noqa: F401  (the API's actions; the scheduled contract alerts)

        kinds.register(
            "procurement.contract_deadline", _("Contract deadline approaching"),
            subject=_("Contract %(object)s: %(deadline)s on %(date)s (%(days)s days left)"),
            template="procurement/notifications/contract_deadline.txt",
            channel="both", digest=60,
        )
