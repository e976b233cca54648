"""Rack reservations: units of a rack kept free for a person or team, and the rack's utilisation
(units occupied by devices and reserved) computed in SQL for lists and pages alike."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register

from .devices import Device, Team
from .racks import Rack

UNIT = [MinValueValidator(1), MaxValueValidator(100)]


@register(
    group="inventory",
    columns=("rack", "first_unit", "last_unit", "user", "team", "until", "description"),
    filters=("rack", "user", "team", "until"),
    search=("description",),
    key="id",
    brief=("id", "rack", "first_unit", "last_unit"),
    queryset=lambda rows: rows.select_related("rack"),
)
class RackReservation(TaggedModel):
    """Units `first_unit`…`last_unit` of a rack kept for a person or a team (for a planned device)."""

    rack = models.ForeignKey(Rack, models.CASCADE, related_name="reservations", verbose_name=_("rack"))
    first_unit = models.PositiveSmallIntegerField(_("first unit"), validators=UNIT,
                                                  help_text=_("The lowest unit reserved."))
    last_unit = models.PositiveSmallIntegerField(_("last unit"), validators=UNIT,
                                                 help_text=_("The highest unit reserved (the same for one unit)."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                             related_name="rack_reservations", verbose_name=_("reserved for (person)"))
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="rack_reservations",
                             verbose_name=_("reserved for (team)"))
    until = models.DateField(_("reserved until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200,
                                   help_text=_("What the units are kept for."))

    class Meta:
        verbose_name = _("rack reservation")
        verbose_name_plural = _("rack reservations")
        ordering = ["rack__name", "first_unit"]

    def __str__(self) -> str:
        units = f"U{self.first_unit}" + (f"–U{self.last_unit}" if self.last_unit != self.first_unit else "")
        return f"{self.rack} {units}" if self.rack_id else units

    PLACEMENT = ("rack_id", "first_unit", "last_unit")

    def clean(self) -> None:
        if not self.user_id and not self.team_id:
            raise ValidationError({"team": _("Choose the person or the team the units are reserved for.")})
        if not self.rack_id or self.first_unit is None or self.last_unit is None:
            return
        first, last = self.first_unit, self.last_unit
        if first > last:
            raise ValidationError({"last_unit": _("The last unit cannot be below the first one.")})
        if last > self.rack.u_height:
            raise ValidationError({"last_unit": _("The rack is %(units)d U high.") % {"units": self.rack.u_height}})
        other = (RackReservation.objects.filter(rack_id=self.rack_id, first_unit__lte=last, last_unit__gte=first)
                 .exclude(pk=self.pk).first())
        if other is not None:
            raise ValidationError({"first_unit": _("Units %(bottom)d–%(top)d overlap the reservation %(other)s.") % {
                "bottom": first, "top": last, "other": other}})
        loaded = getattr(self, "_loaded", None)
        if loaded and all(loaded.get(name) == getattr(self, name) for name in self.PLACEMENT):
            return  # units unchanged: a device mounted in them since is the one they were kept for
        device = Device.occupants(self.rack_id, first, last).only("name").first()
        if device is not None:
            raise ValidationError({"first_unit": _("Units %(bottom)d–%(top)d are taken by %(device)s.") % {
                "bottom": first, "top": last, "device": device.name}})


def _total(rows: models.QuerySet, expression: Any) -> Coalesce:
    """The sum of `expression` over `rows` of the outer rack (0 when there are none), as a subquery."""
    summed = rows.order_by().values("rack").annotate(total=models.Sum(expression)).values("total")[:1]
    return Coalesce(models.Subquery(summed), 0)


def occupied_units() -> Coalesce:
    """Units of the outer rack taken by mounted devices, on either face, each counted once.

    Full-depth devices never share a unit, nor do two half-depth ones on the same face; a
    half-depth device at the rear may share units with half-depth ones at the front, so each
    rear one counts its height less the units it shares with those."""
    top = models.F("position") + models.F("hardware_model__u_height") - 1
    half = {"position__isnull": False, "hardware_model__full_depth": False}
    fronts = (Device.objects.filter(rack=models.OuterRef("rack"), face="front", **half)
              .annotate(top=top).filter(position__lte=models.OuterRef("top"), top__gte=models.OuterRef("position")))
    shared = _total(fronts, Least("top", models.OuterRef("top")) - Greatest("position", models.OuterRef("position"))
                    + 1)
    mounted = Device.objects.filter(rack=models.OuterRef("pk"), position__isnull=False).annotate(
        top=top,
        shared=models.Case(models.When(face="rear", hardware_model__full_depth=False, then=shared), default=0),
    )
    return _total(mounted, models.F("hardware_model__u_height") - models.F("shared"))


def with_utilisation(racks: models.QuerySet) -> models.QuerySet:
    """Racks with `occupied_units`, `reserved_units` and both as a whole percentage of the rack's
    height (`occupied_percent`, `reserved_percent`): two subqueries of the one rows query."""
    reserved = _total(RackReservation.objects.filter(rack=models.OuterRef("pk")),
                      models.F("last_unit") - models.F("first_unit") + 1)
    return racks.annotate(occupied_units=occupied_units(), reserved_units=reserved).annotate(
        occupied_percent=models.F("occupied_units") * 100 / models.F("u_height"),
        reserved_percent=models.F("reserved_units") * 100 / models.F("u_height"),
    )
