from typing import Any, cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "irtis.network"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from irtis.core.registry import ModelEntry, entry_for
        from irtis.inventory.models import Device, Interface

        from . import api  # noqa: F401  (mounts the allocation endpoints on the platform API)
        from .models.vlans import tagged_vlans_left

        Interface.mode_checks.append(tagged_vlans_left)  # a mode change against the VLANs assigned
        cast(ModelEntry, entry_for(Device)).add_panel("network/device_addresses.html")
        post_delete.connect(_primary_unassigned, sender=Interface, dispatch_uid="network_primary_unassigned")


def _primary_unassigned(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted interface leaves its addresses unassigned (`IPAddress.interface` is set null):
    one of them that was its device's primary stops being it (the delete is audited)."""
    from .models import DevicePrimaryAddress

    orphans = DevicePrimaryAddress.objects.filter(device_id=instance.device_id, ip_address__interface__isnull=True)
    for primary in orphans:
        primary.delete()
