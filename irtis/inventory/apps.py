from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DISCOVERY_PANEL = "inventory/discovery_panel.html"


class InventoryConfig(AppConfig):
    name = "irtis.inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from irtis.core.registry import entry_for

        from .discovery import api  # noqa: F401  (mounts the discovery endpoints on the platform API)
        from .models import Device

        entry = entry_for(Device)
        if DISCOVERY_PANEL not in entry.panels:  # the "discover over SNMP" action on device pages
            entry.panels = (DISCOVERY_PANEL, *entry.panels)
