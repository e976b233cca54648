"""Racks: numbered rack units (U1 at the bottom) in which devices are mounted."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .places import Location, Site


def _with_utilisation(rows: models.QuerySet) -> models.QuerySet:
    from .reservations import with_utilisation  # it reads devices, whose module imports this one

    return with_utilisation(rows)


@register(
    group="inventory",
    columns=("name", "site", "location", "u_height", "status", "occupied_percent", "reserved_percent"),
    queryset=_with_utilisation,
    labels={"occupied_units": _("occupied (U)"), "reserved_units": _("reserved (U)"),
            "occupied_percent": _("occupied (%)"), "reserved_percent": _("reserved (%)")},
    filters=("site", "location", "status"),
    search=("description",),
    panels=("inventory/rack_elevation.html", "inventory/rack_power.html"),
    edges=(GraphEdge("located_in", _("located in"), target="site"),),
    depends={"location": ("site",)},
)
class Rack(TaggedModel):
    """A rack (spinta) whose units hold mounted devices."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        RESERVED = "reserved", _("reserved")
        DECOMMISSIONING = "decommissioning", _("decommissioning")
        RETIRED = "retired", _("retired")

    site = models.ForeignKey(Site, models.PROTECT, related_name="racks", verbose_name=_("site"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="racks", verbose_name=_("location"),
    )
    name = NameField(_("name"), max_length=100, unique=True)
    u_height = models.PositiveSmallIntegerField(
        _("height (U)"), default=42, validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("rack")
        verbose_name_plural = _("racks")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_rack_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.location_id and self.site_id and self.location and self.location.site_id != self.site_id:
            raise ValidationError({"location": _("The location must be at the rack's site.")})
        if not self.pk:
            return
        mounted = self.devices.filter(position__isnull=False)
        if self.site_id and mounted.exclude(site_id=self.site_id).exists():
            raise ValidationError({"site": _("Devices mounted in this rack are at another site.")})
        top = mounted.annotate(
            top=models.F("position") + models.F("hardware_model__u_height") - 1,
        ).aggregate(models.Max("top"))["top__max"]
        if top and self.u_height and top > self.u_height:
            raise ValidationError({"u_height": _(
                "A device is mounted up to unit %(top)d; the rack must be at least that high."
            ) % {"top": top}})
        reserved = self.reservations.aggregate(models.Max("last_unit"))["last_unit__max"]
        if reserved and self.u_height and reserved > self.u_height:
            raise ValidationError({"u_height": _(
                "A reservation takes units up to %(top)d; the rack must be at least that high."
            ) % {"top": reserved}})

    @property
    def units(self) -> range:
        """Unit numbers from the top of the rack down, as an elevation draws them."""
        return range(self.u_height, 0, -1)
