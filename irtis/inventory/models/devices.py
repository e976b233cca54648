"""Hardware: device roles, hardware models, teams, devices, their interfaces and storage capacity."""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import ColourField, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .places import Location, Manufacturer, Site
from .racks import Rack

MAC = RegexValidator(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$", _("Write a MAC address as aa:bb:cc:dd:ee:ff."))


@register(group="inventory", columns=("name", "color", "description"), search=("description",))
class DeviceRole(TaggedModel):
    """What a device does: server, disk array, SAN switch, firewall …"""

    name = NameField(_("name"), max_length=100, unique=True)
    color = ColourField(_("colour"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("device role")
        verbose_name_plural = _("device roles")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_devicerole_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="inventory",
    columns=("name", "manufacturer", "part_number", "u_height", "end_of_sale", "end_of_support"),
    filters=("manufacturer", "u_height", "end_of_sale", "end_of_support"),
    search=("part_number",),
)
class HardwareModel(TaggedModel):
    """A product a manufacturer sells (a device type), with its size, power and support dates."""

    manufacturer = models.ForeignKey(
        Manufacturer, models.PROTECT, related_name="hardware_models", verbose_name=_("manufacturer"),
    )
    name = NameField(_("model"), max_length=100, unique=True)
    part_number = models.CharField(_("part number"), max_length=100, blank=True)
    u_height = models.PositiveSmallIntegerField(
        _("height (U)"), default=1, help_text=_("Rack units it takes; 0 for equipment not mounted in a rack."),
    )
    full_depth = models.BooleanField(
        _("full depth"), default=True, help_text=_("Takes its units on both the front and the rear face."),
    )
    power_draw = models.PositiveIntegerField(_("power draw (W)"), null=True, blank=True)
    end_of_sale = models.DateField(_("end of sale"), null=True, blank=True)
    end_of_support = models.DateField(_("end of support"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hardware model")
        verbose_name_plural = _("hardware models")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_hardwaremodel_lt")]

    def __str__(self) -> str:
        return self.name


@register(group="inventory", columns=("name", "email", "description"), search=("email", "description"))
class Team(TaggedModel):
    """A group of the division's staff responsible for equipment and software."""

    name = NameField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_team_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="inventory",
    columns=("name", "status", "site", "rack", "position", "role", "hardware_model", "platform", "team"),
    filters=("site", "role", "status", "face", "warranty_end", "support_end"),
    search=("serial", "asset_number", "description"),
    brief=("id", "name"),
    panels=("inventory/device_cabling.html",),
    edges=(
        GraphEdge("located_in", _("located in"), target="rack"),
        GraphEdge("located_in", _("located in"), target="site", unless="rack"),  # a racked device: in its rack
    ),
    depends={"location": ("site",), "rack": ("site", "location")},
)
class Device(TaggedModel):
    """A physical device: a server, disk array, switch, firewall, gateway or tape library."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        MAINTENANCE = "maintenance", _("maintenance")
        DECOMMISSIONING = "decommissioning", _("decommissioning")
        RETIRED = "retired", _("retired")

    class Face(models.TextChoices):
        FRONT = "front", _("front")
        REAR = "rear", _("rear")

    name = NameField(_("name"), max_length=100, unique=True)
    role = models.ForeignKey(DeviceRole, models.PROTECT, related_name="devices", verbose_name=_("role"))
    hardware_model = models.ForeignKey(
        HardwareModel, models.PROTECT, related_name="devices", verbose_name=_("hardware model"),
    )
    site = models.ForeignKey(Site, models.PROTECT, related_name="devices", verbose_name=_("site"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="devices", verbose_name=_("location"),
    )
    rack = models.ForeignKey(
        Rack, models.PROTECT, null=True, blank=True, related_name="devices", verbose_name=_("rack"),
    )
    position = models.PositiveSmallIntegerField(
        _("position (U)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("The lowest rack unit the device takes."),
    )
    face = models.CharField(_("face"), max_length=5, choices=Face.choices, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_number = NameField(
        _("asset number"), max_length=50, unique=True, null=True, blank=True,
        help_text=_("Inventory number (inventorinis numeris)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    support_end = models.DateField(_("support contract end"), null=True, blank=True)
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="devices", verbose_name=_("responsible team"),
    )
    platform = models.ForeignKey(
        "inventory.SoftwareVersion", models.PROTECT, null=True, blank=True, related_name="devices",
        verbose_name=_("platform"), help_text=_("The operating system, hypervisor or firmware it runs."),
    )
    description = models.TextField(_("description"), blank=True)

    # The out-of-support report reads the platform of every device not yet retired.
    support_report = {"version": "platform", "target": "", "site": "site", "team": "team",
                      "exclude": {"status": "retired"}}

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_device_lt")]

    def __str__(self) -> str:
        return self.name

    PLACEMENT = ("site_id", "location_id", "rack_id", "position", "face", "hardware_model_id")

    def clean(self) -> None:
        if self.asset_number == "":
            self.asset_number = None
        loaded = getattr(self, "_loaded", None)
        if loaded and all(loaded.get(name) == getattr(self, name) for name in self.PLACEMENT):
            return  # placement unchanged: checked when it was set (a bulk status change costs no query)
        errors: dict[str, str | Promise] = {}
        if self.location_id and self.site_id and self.location and self.location.site_id != self.site_id:
            errors["location"] = _("The location must be at the device's site.")
        if self.rack_id:
            if self.site_id and self.rack and self.rack.site_id != self.site_id:
                errors["rack"] = _("The rack must be at the device's site.")
            elif self.location_id and self.rack and self.rack.location_id and self.rack.location_id != self.location_id:
                errors["rack"] = _("The rack must be in the device's location.")
        if self.position is not None:
            errors.update(self._placement_errors())
        elif self.face:
            errors["face"] = _("Only a device with a position has a face.")
        if errors:
            raise ValidationError(errors)

    def _placement_errors(self) -> dict[str, str | Promise]:
        assert self.position is not None  # clean() asks only for a placed device
        if not self.rack_id:
            return {"position": _("Only a device in a rack has a position.")}
        if not self.face:
            return {"face": _("Choose the face of the rack the device is mounted on.")}
        if not self.hardware_model_id or not self.rack or not self.rack.u_height:
            return {}
        height = self.hardware_model.u_height
        if height == 0:
            return {"position": _("This hardware model is not mounted in rack units.")}
        top = self.position + height - 1
        if top > self.rack.u_height:
            return {"position": _("The device needs units %(bottom)d–%(top)d; the rack has %(units)d.") % {
                "bottom": self.position, "top": top, "units": self.rack.u_height}}
        clash = self.occupants(self.rack_id, self.position, top).exclude(pk=self.pk)
        if not self.hardware_model.full_depth:
            clash = clash.filter(models.Q(face=self.face) | models.Q(hardware_model__full_depth=True))
        other = clash.only("name").first()
        if other is not None:
            return {"position": _("Units %(bottom)d–%(top)d are taken by %(device)s.") % {
                "bottom": self.position, "top": top, "device": other.name}}
        return {}

    @staticmethod
    def occupants(rack_id: int, bottom: int, top: int) -> models.QuerySet:
        """Devices mounted in the rack that take any unit from `bottom` to `top` (either face)."""
        return Device.objects.filter(rack_id=rack_id, position__isnull=False, position__lte=top).annotate(
            top_unit=models.F("position") + models.F("hardware_model__u_height") - 1,
        ).filter(top_unit__gte=bottom)

    def save(self, *args: object, **kwargs: object) -> None:
        if self.asset_number == "":
            self.asset_number = None
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():  # a new device comes with its hardware model's components (bulk writes: apps.py)
            super().save(*args, **kwargs)
            from .hardware_templates import copy_to

            copy_to([self])


@register(
    group="inventory",
    columns=("device", "name", "type", "lag", "mtu", "mac_address", "enabled"),
    filters=("device", "type", "enabled"),
    search=("mac_address", "description"),
    key="id",
    brief=("id", "device", "name"),
    panels=("inventory/cable_trace.html",),
    edges=(GraphEdge("part_of", _("part of"), target="device"),),
    depends={"lag": ("device",), "parent": ("device",)},
    queryset=lambda rows: rows.select_related("lag__device"),
)
class Interface(TaggedModel):
    """A network port of a device; IP addresses (irtis.network) are assigned to it."""

    class Type(models.TextChoices):
        VIRTUAL = "virtual", _("virtual")
        LAG = "lag", _("link aggregation group (LAG)")
        BASE_T_100M = "100base-tx", "100BASE-TX"
        BASE_T_1G = "1000base-t", "1000BASE-T"
        BASE_T_10G = "10gbase-t", "10GBASE-T"
        SFP_1G = "1000base-x-sfp", "SFP (1GE)"
        SFPP_10G = "10gbase-x-sfpp", "SFP+ (10GE)"
        SFP28_25G = "25gbase-x-sfp28", "SFP28 (25GE)"
        QSFP_40G = "40gbase-x-qsfpp", "QSFP+ (40GE)"
        QSFP28_100G = "100gbase-x-qsfp28", "QSFP28 (100GE)"
        FC_16G = "16gfc-sfpp", "SFP+ (16GFC)"
        FC_32G = "32gfc-sfp28", "SFP28 (32GFC)"
        MGMT = "mgmt", _("management (iLO/iDRAC)")
        OTHER = "other", _("other")

    device = models.ForeignKey(Device, models.CASCADE, related_name="interfaces", verbose_name=_("device"))
    name = NameField(_("name"), max_length=64, unique_with=("device",))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.BASE_T_1G)
    mtu = models.PositiveIntegerField(_("MTU"), null=True, blank=True, validators=[MinValueValidator(68)])
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True, validators=[MAC])
    class Mode(models.TextChoices):
        ACCESS = "access", _("access")
        TAGGED = "tagged", _("tagged")
        TAGGED_ALL = "tagged-all", _("tagged (all VLANs)")

    enabled = models.BooleanField(_("enabled"), default=True)
    mode = models.CharField(
        _("802.1Q mode"), max_length=10, choices=Mode.choices, blank=True,
        help_text=_("Its VLANs are assigned in Networks → VLAN assignments."),
    )
    lag = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("LAG"),
        help_text=_("The link aggregation group (an interface of type LAG on the same device) it is a member of."),
    )
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent interface"),
        help_text=_("The physical interface a subinterface (eth0.140) belongs to."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["device__name", "name"]

    def __str__(self) -> str:
        return f"{self.device} {self.name}"

    # Checks of a change of `mode` against what layers above record (irtis.network: its VLANs);
    # each takes the interface and returns an error or None.
    mode_checks: list[Callable[["Interface"], str | Promise | None]] = []

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        loaded = getattr(self, "_loaded", None) or {}
        if loaded and loaded.get("mode") != self.mode:
            found = next((e for check in self.mode_checks if (e := check(self)) is not None), None)
            if found is not None:
                errors["mode"] = found
        if self.lag_id:
            if self.lag_id == self.pk:
                errors["lag"] = _("An interface cannot be a member of itself.")
            elif self.lag and self.lag.device_id != self.device_id:
                errors["lag"] = _("The LAG must be on the same device (%(device)s).") % {"device": self.device}
            elif self.lag and self.lag.type != self.Type.LAG:
                errors["lag"] = _("%(interface)s is not of type LAG.") % {"interface": self.lag.name}
            elif self.type == self.Type.LAG:
                errors["lag"] = _("A LAG cannot be a member of another LAG.")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("An interface cannot be its own parent.")
            elif self.parent and self.parent.device_id != self.device_id:
                errors["parent"] = _("The parent interface must be on the same device (%(device)s).") % {
                    "device": self.device}
        was_lag = loaded.get("type") == self.Type.LAG
        if was_lag and self.type != self.Type.LAG and Interface.objects.filter(lag=self).exists():
            errors["type"] = _("Other interfaces are members of this LAG: it must stay of type LAG.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        self.mac_address = self.mac_address.lower()
        super().save(*args, **kwargs)


@register(
    group="inventory",
    columns=("device", "raw_tb", "usable_tb", "used_tb"),
    filters=("device",),
    key="id",
)
class StorageCapacity(TaggedModel):
    """Raw, usable and used capacity of a disk array (diskų masyvas), in terabytes."""

    device = models.ForeignKey(  # one per device: see the constraint (imports and API name it by device name)
        Device, models.CASCADE, related_name="storage_capacities", verbose_name=_("disk array"),
    )
    raw_tb = models.DecimalField(_("raw (TB)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    usable_tb = models.DecimalField(
        _("usable (TB)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)],
    )
    used_tb = models.DecimalField(
        _("used (TB)"), max_digits=9, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("storage capacity")
        verbose_name_plural = _("storage capacities")
        ordering = ["device__name"]
        constraints = [models.UniqueConstraint(fields=["device"], name="storage_capacity_device")]

    def __str__(self) -> str:
        return str(self.device)

    def clean(self) -> None:
        if self.raw_tb is not None and self.usable_tb is not None and self.usable_tb > self.raw_tb:
            raise ValidationError({"usable_tb": _("Usable capacity cannot exceed raw capacity.")})
        if self.usable_tb is not None and self.used_tb is not None and self.used_tb > self.usable_tb:
            raise ValidationError({"used_tb": _("Used capacity cannot exceed usable capacity.")})

    @property
    def used_percent(self) -> float:
        return float(self.used_tb / self.usable_tb * 100) if self.usable_tb else 0.0
