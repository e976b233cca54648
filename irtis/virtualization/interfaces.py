"""A virtual machine's network interfaces and the IP addresses (irtis.network) assigned to them.

An IP address is assigned to at most one interface, a device's or a virtual machine's. The
network app is a layer below this one and cannot point at a virtual machine's interface, so the
assignment is a row here pointing down at `network.IPAddress` (unique: one interface per
address), and `IPAddress.assignment_checks`, filled in `VirtualizationConfig.ready()`, makes the
address refuse a device interface while it is on a virtual machine's.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models.devices import MAC
from irtis.network.models import VLAN, IPAddress


@register(
    group="inventory",
    columns=("virtual_machine", "name", "enabled", "mac_address", "mtu", "untagged_vlan", "description"),
    filters=("virtual_machine", "enabled", "untagged_vlan"),
    search=("mac_address", "description"),
    key="id",
    brief=("id", "virtual_machine", "name"),
    queryset=lambda rows: rows.select_related("virtual_machine"),
)
class VMInterface(TaggedModel):
    """A virtual network adapter of a virtual machine (eth0, ens192 …)."""

    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine",
        models.CASCADE,
        related_name="interfaces",
        verbose_name=_("virtual machine"),
    )
    name = NameField(_("name"), max_length=64, unique_with=("virtual_machine",))
    enabled = models.BooleanField(_("enabled"), default=True)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True, validators=[MAC])
    mtu = models.PositiveIntegerField(
        _("MTU"), null=True, blank=True, validators=[MinValueValidator(68), MaxValueValidator(65536)]
    )
    untagged_vlan = models.ForeignKey(
        VLAN,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vm_interfaces",
        verbose_name=_("VLAN"),
        help_text=_("The VLAN (port group) the adapter is connected to."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("VM interface")
        verbose_name_plural = _("VM interfaces")
        ordering = ["virtual_machine_id", "name"]

    def __str__(self) -> str:
        return f"{self.virtual_machine} {self.name}" if self.virtual_machine_id else self.name

    def clean(self) -> None:
        if self.untagged_vlan is None or not self.virtual_machine_id:
            return
        site_id = self.untagged_vlan.site_id
        if site_id and site_id != self.virtual_machine.cluster.site_id:
            raise ValidationError(
                {"untagged_vlan": _("The VLAN belongs to another site than the machine's cluster.")}
            )


@register(
    group="inventory",
    columns=("ip_address", "interface"),
    filters=("interface", "ip_address"),
    key="id",
    brief=("id", "ip_address", "interface"),
    queryset=lambda rows: rows.select_related("ip_address", "interface__virtual_machine"),
    edges=(GraphEdge("assigned_to", _("assigned to"), source="ip_address", target="interface"),),
)
class VMAddressAssignment(TaggedModel):
    """An IP address assigned to a virtual machine's interface."""

    interface = models.ForeignKey(
        VMInterface, models.CASCADE, related_name="address_assignments", verbose_name=_("VM interface")
    )
    # A foreign key with a unique constraint rather than a one-to-one field: the platform's
    # forms, API schemas and import columns treat foreign keys as references by key.
    ip_address = models.ForeignKey(
        IPAddress,
        models.CASCADE,
        related_name="vm_assignments",
        verbose_name=_("IP address"),
        help_text=_("An address is assigned to one interface at most, a device's or a virtual machine's."),
    )

    class Meta:
        verbose_name = _("VM IP address assignment")
        verbose_name_plural = _("VM IP address assignments")
        ordering = ["interface_id", "ip_address__address_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["ip_address"],
                name="virtualization_vm_address_once",
                violation_error_code="unique",
                violation_error_message=_("This IP address is already assigned to a virtual machine's interface."),
            ),
        ]

    def __str__(self) -> str:
        if not self.ip_address_id or not self.interface_id:
            return ""
        return f"{self.ip_address} · {self.interface}"

    def clean(self) -> None:
        if not self.ip_address_id:
            return
        address = self.ip_address
        if address.interface_id:
            raise ValidationError({"ip_address": _(
                "%(address)s is assigned to the device interface %(interface)s: remove it there first."
            ) % {"address": address, "interface": address.interface}})
        if not self.pk or not self.interface_id:
            return
        before = VMAddressAssignment.objects.filter(pk=self.pk).values_list(
            "interface__virtual_machine_id", "ip_address_id").first()
        if before is None:
            return
        machine_id, address_id = before
        moving = address_id != self.ip_address_id or machine_id != self.interface.virtual_machine_id
        if moving and self._primary_of(machine_id, address_id):
            raise ValidationError({"ip_address": _(
                "The address is the primary IP address of its virtual machine: choose another primary first."
            )})

    @staticmethod
    def _primary_of(machine_id: int, address_id: int) -> bool:
        from .models import VirtualMachine

        return VirtualMachine.objects.filter(pk=machine_id, primary_ip_id=address_id).exists()


def on_vm_interface(address: IPAddress) -> str | Promise | None:
    """An address on a virtual machine's interface may not also be on a device's (the hook of
    `IPAddress.assignment_checks`)."""
    if not address.interface_id or not address.pk:
        return None
    found = VMAddressAssignment.objects.filter(ip_address_id=address.pk).select_related(
        "interface__virtual_machine").first()
    if found is None:
        return None
    return _("%(address)s is assigned to the interface %(interface)s of a virtual machine: remove it there first.") % {
        "address": address.address, "interface": found.interface}
