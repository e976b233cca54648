from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "irtis.inventory"
    verbose_name = _("Inventory")


    def ready(self) -> None:
        from . import api  # noqa: F401  (mounts the cable trace endpoints on the platform API)
