from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "irtis.access"
    label = "access"
    verbose_name = _("Access requests and recertification")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import api, evaluators  # noqa: F401  (approval actions on the API; hygiene controls)

        kinds.register("access.recertification_overdue", _("Recertification overdue"),
                       subject=_("Recertification %(object)s: unanswered past the deadline: %(count)s"),
                       channel="both", digest=0)
