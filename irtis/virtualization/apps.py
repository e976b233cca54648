from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VirtualizationConfig(AppConfig):
    name = "irtis.virtualization"
    verbose_name = _("Virtualisation")

    def ready(self) -> None:
        from typing import cast

        from django.db.models.signals import post_delete

        from irtis.core.registry import ModelEntry, entry_for
        from irtis.network.models import IPAddress

        from .interfaces import VMAddressAssignment, on_vm_interface

        IPAddress.assignment_checks.append(on_vm_interface)  # a device interface for a VM's address
        cast(ModelEntry, entry_for(IPAddress)).add_panel("virtualization/address_panel.html", first=True)
        post_delete.connect(_primary_unassigned, sender=VMAddressAssignment,
                            dispatch_uid="virtualization_primary_unassigned")


def _primary_unassigned(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An address taken off a machine's interface stops being its primary (the machine's save
    is audited like any other)."""
    from .models import VirtualMachine

    for machine in VirtualMachine.objects.filter(primary_ip_id=instance.ip_address_id):
        machine.primary_ip = None
        machine.save(update_fields=["primary_ip"])
