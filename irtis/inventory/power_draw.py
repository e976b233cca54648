"""Power drawn against capacity, per power feed and per rack.

A load is a power port of a device with no power outlets (a server's power supply; a rack PDU's
inlet is not one: what it passes on is counted at the ports its outlets feed). A load draws its
allocated draw, or its maximum draw when none is allocated. A feed carries the loads cabled to it
directly and those cabled to the outlets of a PDU whose inlet is cabled to it; a rack draws its
mounted devices' loads and can take what its active feeds can deliver. Both are computed in a
fixed number of queries whatever the number of racks, feeds and ports.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models.functions import Coalesce

from .models import Cable, PowerFeed, PowerOutlet, PowerPort, Rack


@dataclass
class Load:
    """Watts drawn against watts available (`available` 0: nothing is known to feed it)."""

    draw: int = 0
    available: int = 0

    @property
    def percent(self) -> int | None:
        return round(self.draw * 100 / self.available) if self.available else None

    @property
    def over(self) -> bool:
        """Drawing more than may be drawn (or drawing with nothing to draw from)."""
        return self.draw > self.available


@dataclass
class RackPower:
    rack: Rack
    load: Load
    feeds: list[tuple[PowerFeed, Load]] = field(default_factory=list)

    @property
    def warning(self) -> bool:
        return self.load.over or any(load.over for _feed, load in self.feeds)


def _drawn(ports: models.QuerySet) -> models.QuerySet:
    return ports.annotate(watts=Coalesce("allocated_draw", "maximum_draw", 0)).exclude(
        device__poweroutlets__isnull=False)


def _pairs(cables: models.QuerySet, one: str, other: str) -> list[tuple[int, int]]:
    """(one id, other id) of the cables joining a `one` end to an `other` end, either way round."""
    cables = cables.order_by()
    forward = cables.filter(**{f"a_{one}__isnull": False, f"b_{other}__isnull": False})
    backward = cables.filter(**{f"b_{one}__isnull": False, f"a_{other}__isnull": False})
    return list(forward.values_list(f"a_{one}", f"b_{other}").union(backward.values_list(f"b_{one}", f"a_{other}")))


def feed_draw(feeds: Iterable[PowerFeed]) -> dict[int, Load]:
    """Each feed's load (four queries)."""
    feeds = list(feeds)
    ids = [f.pk for f in feeds]
    to_feed = Cable.objects.filter(models.Q(a_power_feed__in=ids) | models.Q(b_power_feed__in=ids))
    port_feed = {port: feed for feed, port in _pairs(to_feed, "power_feed", "power_port")}
    outlet_feed = dict(PowerOutlet.objects.filter(power_port__in=port_feed).values_list("pk", "power_port"))
    outlet_feed = {outlet: port_feed[inlet] for outlet, inlet in outlet_feed.items()}
    to_outlets = Cable.objects.filter(
        models.Q(a_power_outlet__in=outlet_feed) | models.Q(b_power_outlet__in=outlet_feed))
    for outlet, port in _pairs(to_outlets, "power_outlet", "power_port"):
        port_feed[port] = outlet_feed[outlet]
    result = {f.pk: Load(available=f.available_power) for f in feeds}
    for pk, watts in _drawn(PowerPort.objects.filter(pk__in=port_feed)).values_list("pk", "watts"):
        result[port_feed[pk]].draw += watts
    return result


def rack_power(racks: Iterable[Rack]) -> list[RackPower]:
    """Each rack's load against its active feeds, with each feed's own load (six queries)."""
    racks = list(racks)
    feeds = list(PowerFeed.objects.filter(rack__in=racks).select_related("power_panel").order_by("rack", "name"))
    loads = feed_draw(feeds)
    drawn = dict(_drawn(PowerPort.objects.filter(device__rack__in=racks)).order_by().values("device__rack")
                 .annotate(total=models.Sum("watts")).values_list("device__rack", "total"))
    result = []
    for rack in racks:
        own = [(feed, loads[feed.pk]) for feed in feeds if feed.rack_id == rack.pk]
        available = sum(load.available for feed, load in own if feed.status == PowerFeed.Status.ACTIVE)
        result.append(RackPower(rack, Load(drawn.get(rack.pk) or 0, available), own))
    return result


def powered_racks() -> models.QuerySet:
    """Racks that have a power feed or a device drawing power."""
    return Rack.objects.filter(models.Q(power_feeds__isnull=False) | models.Q(devices__powerports__isnull=False)
                               ).distinct().select_related("site").order_by("name")
