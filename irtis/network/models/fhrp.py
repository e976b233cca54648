"""First-hop redundancy groups (FHRP grupės): VRRP and HSRP gateways shared by several device
interfaces, one of which (the highest priority) is the master that answers for the virtual IP.

A group has one virtual IP address: VRRPv3 and HSRPv2 run a separate instance (group) per
address family anyway, so IPv4 and IPv6 gateways of one VLAN are two groups. The rules that
need the group, its virtual IP and its members together live here, in `clean()`, so forms, the
API and imports refuse the same things.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register
from irtis.inventory.models import Interface

from .. import ip
from .ipam import IPAddress


class Protocol(models.TextChoices):
    VRRP2 = "vrrp2", _("VRRPv2")
    VRRP3 = "vrrp3", _("VRRPv3")
    HSRP1 = "hsrp1", _("HSRPv1")
    HSRP2 = "hsrp2", _("HSRPv2")


# protocol: (lowest, highest) group number, (lowest, highest) priority; RFC 5798, Cisco HSRP.
LIMITS = {
    Protocol.VRRP2: ((1, 255), (1, 254)),
    Protocol.VRRP3: ((1, 255), (1, 254)),
    Protocol.HSRP1: ((0, 255), (0, 255)),
    Protocol.HSRP2: ((0, 4095), (0, 255)),
}
IPV4_ONLY = {Protocol.VRRP2, Protocol.HSRP1}
# Versions of one protocol share their group numbers on a subnet (VRRPv2 10 and VRRPv3 10 clash).
SAME_NUMBERS = {
    Protocol.VRRP2: (Protocol.VRRP2, Protocol.VRRP3),
    Protocol.VRRP3: (Protocol.VRRP2, Protocol.VRRP3),
    Protocol.HSRP1: (Protocol.HSRP1, Protocol.HSRP2),
    Protocol.HSRP2: (Protocol.HSRP1, Protocol.HSRP2),
}


def _vrf_name(vrf: object) -> str:
    return str(vrf) if vrf is not None else str(_("the global table"))


def interface_conflict(vip: IPAddress, interface: Interface) -> str | None:
    """Why `interface` cannot serve `vip` (its addresses of that family lie in another VRF, or in
    no subnet holding the virtual IP), or None. An interface with no recorded address fits."""
    rows = list(IPAddress.objects.filter(interface=interface, family=vip.family).order_by("address_key"))
    foreign = next((a for a in rows if a.vrf_id != vip.vrf_id), None)
    if foreign is not None:
        return str(_(
            "%(interface)s has %(address)s in %(vrf)s, but the virtual IP %(vip)s is in %(vip_vrf)s: "
            "a group cannot span VRFs."
        ) % {"interface": interface, "address": foreign, "vrf": _vrf_name(foreign.vrf), "vip": vip.host,
             "vip_vrf": _vrf_name(vip.vrf)})
    vip_ip = ip.parse_interface(vip.address).ip
    if rows and not any(vip_ip in ip.parse_interface(a.address).network for a in rows):
        return str(_("The virtual IP %(vip)s is in no subnet of %(interface)s (%(addresses)s).") % {
            "vip": vip.host, "interface": interface, "addresses": ", ".join(a.address for a in rows)})
    return None


@register(
    group="networks",
    columns=("protocol", "group_id", "name", "virtual_address", "auth_type", "description"),
    filters=("protocol", "group_id", "virtual_address", "auth_type"),
    search=("name", "description"),
    key="id",
    brief=("id", "protocol", "group_id"),
    panels=("network/fhrp_panel.html",),
    queryset=lambda rows: rows.select_related("virtual_address"),
)
class FHRPGroup(TaggedModel):
    """A VRRP or HSRP group: its number, virtual IP address and authentication."""

    Protocol = Protocol

    class Authentication(models.TextChoices):
        NONE = "none", _("none")
        PLAINTEXT = "plaintext", _("plain text")
        MD5 = "md5", _("MD5")

    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.VRRP3)
    group_id = models.PositiveIntegerField(
        _("group number"), validators=[MaxValueValidator(4095)],
        help_text=_("VRRP 1–255, HSRPv1 0–255, HSRPv2 0–4095."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    virtual_address = models.ForeignKey(
        IPAddress, models.PROTECT, related_name="fhrp_groups", verbose_name=_("virtual IP address"),
        help_text=_("The gateway address the group's master answers for."),
    )
    auth_type = models.CharField(
        _("authentication"), max_length=10, choices=Authentication.choices, default=Authentication.NONE
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("FHRP group")
        verbose_name_plural = _("FHRP groups")
        ordering = ["group_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["virtual_address"], name="network_fhrp_vip_once",
                violation_error_message=_("This virtual IP address already belongs to another FHRP group."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.get_protocol_display()} {self.group_id}"
        return f"{label} {self.name}" if self.name else label

    def clean(self) -> None:
        if self.protocol not in LIMITS:  # an unknown protocol: the field's own error says so
            return
        if self.group_id is not None:
            low, high = LIMITS[Protocol(self.protocol)][0]
            if not low <= self.group_id <= high:
                raise ValidationError({"group_id": _("A %(protocol)s group number is %(low)d to %(high)d.") % {
                    "protocol": self.get_protocol_display(), "low": low, "high": high}})
        if not self.virtual_address_id:
            return
        vip = self.virtual_address
        if self.protocol in IPV4_ONLY and vip.family != 4:
            raise ValidationError({"virtual_address": _("%(protocol)s carries IPv4 only; use %(newer)s for IPv6.") % {
                "protocol": self.get_protocol_display(),
                "newer": Protocol.VRRP3.label if self.protocol == Protocol.VRRP2 else Protocol.HSRP2.label}})
        self._check_subnet(vip)
        if self.pk:
            for member in self.assignments.select_related("interface__device"):
                if (problem := interface_conflict(vip, member.interface)) is not None:
                    raise ValidationError({"virtual_address": problem})

    def _check_subnet(self, vip: IPAddress) -> None:
        """No other group of the same protocol and number on the virtual IP's subnet."""
        low, high = ip.bounds(ip.parse_interface(vip.address).network)
        twin = (
            FHRPGroup.objects.filter(
                protocol__in=SAME_NUMBERS.get(Protocol(self.protocol), (self.protocol,)),
                group_id=self.group_id,
                virtual_address__address_key__gte=low,
                virtual_address__address_key__lte=high,
            )
            .filter(Q(virtual_address__vrf__isnull=True) if vip.vrf_id is None else Q(virtual_address__vrf=vip.vrf_id))
            .exclude(pk=self.pk)
            .select_related("virtual_address")
            .first()
        )
        if twin is not None:
            raise ValidationError({"group_id": _(
                "%(twin)s (virtual IP %(vip)s) already uses this number on the same subnet."
            ) % {"twin": twin, "vip": twin.virtual_address}})


@register(
    group="networks",
    columns=("group", "interface", "priority"),
    filters=("group", "interface"),
    key="id",
    brief=("id", "group", "interface", "priority"),
    queryset=lambda rows: rows.select_related("group", "interface__device"),
    depends={"interface": ("device",)},
)
class FHRPGroupAssignment(TaggedModel):
    """A device interface taking part in an FHRP group, with its priority (the highest is master)."""

    group = models.ForeignKey(FHRPGroup, models.CASCADE, related_name="assignments", verbose_name=_("FHRP group"))
    interface = models.ForeignKey(
        Interface, models.CASCADE, related_name="fhrp_assignments", verbose_name=_("interface")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, validators=[MaxValueValidator(255)],
        help_text=_("VRRP 1–254, HSRP 0–255; the highest is the master."),
    )

    class Meta:
        verbose_name = _("FHRP group assignment")
        verbose_name_plural = _("FHRP group assignments")
        ordering = ["group_id", "-priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "interface"], name="network_fhrp_assignment_once",
                violation_error_message=_("The interface is already a member of this group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.interface}" if self.group_id and self.interface_id else ""

    def clean(self) -> None:
        if not self.group_id:
            return
        group = self.group
        low, high = LIMITS[Protocol(group.protocol)][1]
        if self.priority is not None and not low <= self.priority <= high:
            raise ValidationError({"priority": _("A %(protocol)s priority is %(low)d to %(high)d.") % {
                "protocol": group.get_protocol_display(), "low": low, "high": high}})
        if self.interface_id and (problem := interface_conflict(group.virtual_address, self.interface)):
            raise ValidationError({"interface": problem})


class FHRPGroupSecret(models.Model):
    """An FHRP group's authentication key, encrypted with the key kept outside the database
    (irtis.core.secrets); set and read only through `irtis.network.fhrp_keys`, never shown."""

    group = models.OneToOneField(FHRPGroup, models.CASCADE, primary_key=True, related_name="secret",
                                 verbose_name=_("FHRP group"))
    ciphertext = models.BinaryField(_("encrypted authentication key"))
    key_id = models.CharField(_("key fingerprint"), max_length=16)

    class Meta:
        verbose_name = _("FHRP authentication key")
        verbose_name_plural = _("FHRP authentication keys")

    def __str__(self) -> str:
        return f"{self.group_id}: FHRP authentication key"
