from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "irtis.governance"
    verbose_name = _("Architecture governance")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.systems.models import InformationSystem

        from . import api, jobs  # noqa: F401  (the API's reads; the background evaluation of the rules)

        # the system's conformance to the architecture rules, on its page
        cast(ModelEntry, entry_for(InformationSystem)).add_panel("governance/system_panel.html")
