"""Places and makers: sites, locations within them, manufacturers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


@register(
    group="inventory",
    columns=("code", "name", "kind", "status", "city", "closed_on"),
    filters=("kind", "status", "city", "border", "closed_on"),
    search=("code", "address", "city", "description"),
    key="code",
)
class Site(TaggedModel):
    """A place where customs ICT equipment stands or is used."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("headquarters")
        DATA_CENTRE = "datacentre", _("data centre")
        ROAD_BCP = "road_bcp", _("road border crossing point")
        RAIL_BCP = "rail_bcp", _("railway border crossing point")
        CUSTOMS_POST = "customs_post", _("customs post")
        SEAPORT = "seaport", _("seaport")
        AIRPORT = "airport", _("airport")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        DECOMMISSIONING = "decommissioning", _("decommissioning")
        CLOSED = "closed", _("closed")

    code = NameField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    border = models.CharField(
        _("border with"), max_length=50, blank=True,
        help_text=_("Neighbouring country of a border crossing point, e.g. BY."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]
        indexes = [collation.index("code", "inventory_site_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.status == self.Status.CLOSED and not self.closed_on:
            raise ValidationError({"closed_on": _("A closed site needs the date it closed.")})
        if self.closed_on and self.status != self.Status.CLOSED:
            raise ValidationError({"closed_on": _("Only a closed site has a closing date.")})


@register(
    group="inventory",
    columns=("code", "name", "site", "parent", "kind"),
    filters=("site", "parent", "kind"),
    search=("code", "description"),
    key="code",
    depends={"parent": ("site",)},
)
class Location(TaggedModel):
    """A building, floor or room within a site."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("building")
        FLOOR = "floor", _("floor")
        ROOM = "room", _("room")
        SERVER_ROOM = "server_room", _("server room")
        CAGE = "cage", _("cage")

    site = models.ForeignKey(Site, models.PROTECT, related_name="locations", verbose_name=_("site"))
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent location"),
    )
    code = NameField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ROOM)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["code"]
        indexes = [collation.index("code", "inventory_location_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.site_id and self.parent and self.parent.site_id != self.site_id:
            raise ValidationError({"parent": _("The parent location must be at the same site.")})
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A location cannot contain itself.")})


@register(
    group="inventory",
    columns=("name", "website", "description"),
    search=("description",),
)
class Manufacturer(TaggedModel):
    """A maker of hardware or software."""

    name = NameField(_("name"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_manufacturer_lt")]

    def __str__(self) -> str:
        return self.name
