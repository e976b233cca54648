from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "irtis.flows"
    verbose_name = _("Network flows")

    def ready(self) -> None:
        from . import api, evaluators  # noqa: F401  (the approval API's endpoints; the automatic controls)
