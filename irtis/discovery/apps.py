from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PANEL = "discovery/panel.html"


class DiscoveryConfig(AppConfig):
    name = "irtis.discovery"
    verbose_name = _("SNMP discovery")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.inventory.models import Device

        from . import api, sweep_api  # noqa: F401  (mount the discovery endpoints on the platform API)
        from .models import Sweep

        # "discover over SNMP" on device pages (a registered model)
        cast(ModelEntry, entry_for(Device)).add_panel(PANEL, first=True)
        cast(ModelEntry, entry_for(Sweep)).add_panel("discovery/sweep_panel.html", first=True)
