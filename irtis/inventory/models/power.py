"""Power: panels (skydai) at a site, feeds from a panel to a rack, and the power ports and outlets
of devices and rack PDUs that power cables join (`irtis.inventory.power` rolls the draw up)."""

import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .cabling import DevicePort
from .places import Location, Site
from .racks import Rack


@register(group="inventory", columns=("name", "site", "location", "description"), filters=("site", "location"),
          search=("description",), depends={"location": ("site",)})
class PowerPanel(TaggedModel):
    """An electrical distribution panel (skydas) that feeds racks."""

    site = models.ForeignKey(Site, models.PROTECT, related_name="power_panels", verbose_name=_("site"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="power_panels", verbose_name=_("location"),
    )
    name = NameField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("power panel")
        verbose_name_plural = _("power panels")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_powerpanel_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.location_id and self.site_id and self.location and self.location.site_id != self.site_id:
            raise ValidationError({"location": _("The location must be at the panel's site.")})


@register(
    group="inventory",
    columns=("name", "power_panel", "rack", "status", "voltage", "amperage", "phase", "max_utilisation"),
    filters=("power_panel", "rack", "status", "phase"),
    search=("description",),
    panels=("inventory/cable_trace.html",),
)
class PowerFeed(TaggedModel):
    """A circuit from a power panel to a rack; what it can deliver is its available power."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PLANNED = "planned", _("planned")
        FAILED = "failed", _("failed")
        OFFLINE = "offline", _("offline")

    class Phase(models.TextChoices):
        SINGLE = "single", _("single-phase")
        THREE = "three", _("three-phase")

    power_panel = models.ForeignKey(PowerPanel, models.PROTECT, related_name="feeds", verbose_name=_("power panel"))
    rack = models.ForeignKey(Rack, models.PROTECT, null=True, blank=True, related_name="power_feeds",
                             verbose_name=_("rack"))
    name = NameField(_("name"), max_length=100, unique_with=("power_panel",))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    voltage = models.PositiveSmallIntegerField(_("voltage (V)"), default=230,
                                               validators=[MinValueValidator(1), MaxValueValidator(1000)])
    amperage = models.PositiveSmallIntegerField(_("amperage (A)"), default=16,
                                                validators=[MinValueValidator(1), MaxValueValidator(1000)])
    phase = models.CharField(_("phase"), max_length=6, choices=Phase.choices, default=Phase.SINGLE)
    max_utilisation = models.PositiveSmallIntegerField(
        _("maximum utilisation (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the circuit's power that may be drawn (80 % by the usual rule)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("power feed")
        verbose_name_plural = _("power feeds")
        ordering = ["power_panel__name", "name"]

    def __str__(self) -> str:
        return f"{self.power_panel} {self.name}"

    def clean(self) -> None:
        if self.rack_id and self.power_panel_id and self.rack and self.rack.site_id != self.power_panel.site_id:
            raise ValidationError({"rack": _("The rack must be at the power panel's site.")})

    @property
    def available_power(self) -> int:
        """Watts that may be drawn: V × A (× √3 three-phase) × maximum utilisation."""
        factor = Decimal(math.sqrt(3)) if self.phase == self.Phase.THREE else Decimal(1)
        return int(Decimal(self.voltage) * Decimal(self.amperage) * factor * Decimal(self.max_utilisation) / 100)


DRAW = [MinValueValidator(1), MaxValueValidator(100_000)]


@register(group="inventory", columns=("device", "name", "maximum_draw", "allocated_draw", "description"),
          filters=("device",), search=("description",), key="id", brief=("id", "device", "name"),
          panels=("inventory/cable_trace.html",))
class PowerPort(DevicePort):
    """A power inlet of a device (a power supply), or of a rack PDU fed by a power feed."""

    maximum_draw = models.PositiveIntegerField(_("maximum draw (W)"), null=True, blank=True, validators=DRAW)
    allocated_draw = models.PositiveIntegerField(
        _("allocated draw (W)"), null=True, blank=True, validators=DRAW,
        help_text=_("What the port is expected to draw; counted against the feed's available power."),
    )

    class Meta(DevicePort.Meta):
        verbose_name = _("power port")
        verbose_name_plural = _("power ports")

    def clean(self) -> None:
        if self.maximum_draw and self.allocated_draw and self.allocated_draw > self.maximum_draw:
            raise ValidationError({"allocated_draw": _("The allocated draw cannot exceed the maximum draw.")})


@register(group="inventory", columns=("device", "name", "power_port", "description"),
          filters=("device", "power_port"), search=("description",), key="id", brief=("id", "device", "name"),
          panels=("inventory/cable_trace.html",), depends={"power_port": ("device",)},
          queryset=lambda rows: rows.select_related("power_port__device"))
class PowerOutlet(DevicePort):
    """An outlet of a rack PDU, fed from one of the PDU's power ports (inlets)."""

    power_port = models.ForeignKey(PowerPort, models.SET_NULL, null=True, blank=True, related_name="outlets",
                                   verbose_name=_("fed from power port"))

    class Meta(DevicePort.Meta):
        verbose_name = _("power outlet")
        verbose_name_plural = _("power outlets")

    def clean(self) -> None:
        if self.power_port_id and self.device_id and self.power_port and self.power_port.device_id != self.device_id:
            raise ValidationError({"power_port": _("The power port must be on the same device.")})
