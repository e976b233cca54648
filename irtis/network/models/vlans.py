"""VLANs and the groups (usually a site's switching domain) that keep their numbers unique."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Interface, Site

from .zones import SecurityZone


@register(
    group="networks",
    columns=("name", "site", "description"),
    filters=("site",),
    search=("description",),
)
class VLANGroup(TaggedModel):
    """A set of VLANs whose numbers are unique, e.g. one data centre's switching fabric."""

    name = NameField(_("name"), max_length=100, unique=True)
    site = models.ForeignKey(
        Site,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vlan_groups",
        verbose_name=_("site"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("VLAN group")
        verbose_name_plural = _("VLAN groups")
        ordering = ["name"]
        indexes = [collation.index("name", "network_vlangroup_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="networks",
    columns=("vid", "name", "group", "site", "zone", "status"),
    filters=("vid", "status", "group", "site", "zone"),
    search=("name", "description"),
    key="id",
    brief=("id", "vid", "name"),
    depends={"group": ("site",)},
)
class VLAN(TaggedModel):
    """A virtual LAN (IEEE 802.1Q)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RESERVED = "reserved", _("reserved")
        DEPRECATED = "deprecated", _("deprecated")

    vid = models.PositiveSmallIntegerField(
        _("VLAN ID"),
        validators=[MinValueValidator(1), MaxValueValidator(4094)],
    )
    name = models.CharField(_("name"), max_length=64)
    group = models.ForeignKey(
        VLANGroup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vlans",
        verbose_name=_("VLAN group"),
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="vlans", verbose_name=_("site")
    )
    zone = models.ForeignKey(
        SecurityZone,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vlans",
        verbose_name=_("security zone"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("VLAN")
        verbose_name_plural = _("VLANs")
        ordering = ["vid", "group_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "vid"], name="network_vlan_group_vid"),
            models.CheckConstraint(condition=models.Q(vid__gte=1, vid__lte=4094), name="network_vlan_vid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.vid} {self.name}"

    def clean(self) -> None:
        if (
            self.group_id
            and self.vid
            and VLAN.objects.filter(group_id=self.group_id, vid=self.vid).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {"vid": _("VLAN %(vid)d already exists in group %(group)s.") % {"vid": self.vid, "group": self.group}}
            )
        group_site = self.group.site_id if self.group_id and self.group else None
        if group_site and self.site_id and group_site != self.site_id:
            raise ValidationError({"site": _("The VLAN's site must be the site of its group.")})


@register(
    group="networks",
    columns=("interface", "vlan", "tagged"),
    filters=("interface", "vlan", "tagged"),
    key="id",
    brief=("id", "interface", "vlan"),
    queryset=lambda rows: rows.select_related("interface__device"),
)
class VLANAssignment(TaggedModel):
    """A VLAN an interface carries, untagged (its access or native VLAN) or tagged, as its
    802.1Q mode (`inventory.Interface.mode`) allows.

    It lives here, not on the interface: VLANs are networks' and the inventory is a layer below.
    """

    interface = models.ForeignKey(
        Interface, models.CASCADE, related_name="vlan_assignments", verbose_name=_("interface"),
    )
    vlan = models.ForeignKey(VLAN, models.PROTECT, related_name="assignments", verbose_name=_("VLAN"))
    tagged = models.BooleanField(_("tagged"), default=False)

    class Meta:
        verbose_name = _("VLAN assignment")
        verbose_name_plural = _("VLAN assignments")
        ordering = ["interface_id", "vlan__vid"]
        constraints = [
            models.UniqueConstraint(fields=["interface", "vlan"], name="network_vlan_assignment_once"),
            models.UniqueConstraint(fields=["interface"], condition=models.Q(tagged=False),
                                    name="network_vlan_assignment_one_untagged"),
        ]

    def __str__(self) -> str:
        return f"{self.interface} · {self.vlan}"

    def clean(self) -> None:
        if not self.interface_id or not self.vlan_id:
            return
        mode = self.interface.mode
        if not mode:
            raise ValidationError({"interface": _("Set the interface's 802.1Q mode first.")})
        if self.tagged and mode == Interface.Mode.ACCESS:
            raise ValidationError({"tagged": _("An interface in access mode carries no tagged VLANs.")})
        if self.tagged and mode == Interface.Mode.TAGGED_ALL:
            raise ValidationError({"tagged": _("An interface in mode “tagged (all VLANs)” carries every VLAN.")})
        others = VLANAssignment.objects.filter(interface_id=self.interface_id).exclude(pk=self.pk)
        if not self.tagged and (other := others.filter(tagged=False).select_related("vlan").first()):
            raise ValidationError({"tagged": _("The interface's untagged VLAN is already %(vlan)s.") % {
                "vlan": other.vlan}})
        if self.vlan.site_id and self.vlan.site_id != self.interface.device.site_id:
            raise ValidationError({"vlan": _("The VLAN belongs to another site than the interface's device.")})


def tagged_vlans_left(interface: Interface) -> str | Promise | None:
    """An interface leaving a tagged mode must first lose its tagged VLANs."""
    if interface.mode == Interface.Mode.TAGGED:
        return None
    if interface.mode == Interface.Mode.ACCESS or interface.mode == Interface.Mode.TAGGED_ALL:
        if interface.vlan_assignments.filter(tagged=True).exists():
            return _("Remove the interface's tagged VLAN assignments first.")
        return None
    if interface.vlan_assignments.exists():
        return _("Remove the interface's VLAN assignments first.")
    return None
