from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PANEL = "discovery/panel.html"


class DiscoveryConfig(AppConfig):
    name = "irtis.discovery"
    verbose_name = _("SNMP discovery")

    def ready(self) -> None:
        from irtis.core.registry import entry_for
        from irtis.inventory.models import Device

        from . import api  # noqa: F401  (mounts the discovery endpoints on the platform API)

        entry_for(Device).add_panel(PANEL, first=True)  # "discover over SNMP" on device pages
