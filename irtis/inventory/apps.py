from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DISCOVERY_PANEL = "inventory/discovery_panel.html"


class InventoryConfig(AppConfig):
    name = "irtis.inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for

        from .discovery import api  # noqa: F401  (mounts the discovery endpoints on the platform API)
        from .models import Device

        cast(ModelEntry, entry_for(Device)).add_panel(DISCOVERY_PANEL, first=True)  # "discover over SNMP"
