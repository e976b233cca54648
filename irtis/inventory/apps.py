from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "irtis.inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from irtis.core.bulk import saved_many

        from . import api  # noqa: F401  (mounts the cable trace endpoints on the platform API)
        from .models import Device

        saved_many.connect(_copy_templates, sender=Device, dispatch_uid="inventory_device_templates")


def _copy_templates(sender: type, objects: Any, created: Any = (), **kwargs: Any) -> None:
    """Devices inserted by an import or an API list get their hardware models' components."""
    from .models.hardware_templates import copy_to

    copy_to(list(created))
