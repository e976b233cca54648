"""Capacity over time (statute 2.21: capacity trends of clusters, storage and IP space).

`record(day)` keeps each day's use of every cluster (memory, vCPU of its limit, disk), disk array
and address container as a `CapacitySample`, read through the same capability functions as the
report's capacity section. `trends(samples)` fits a straight line through each object's samples
of a period: its change, its change per 30 days and the day it would reach 100 % at that pace.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .models import CapacitySample

FULL = 100.0
MIN_SPAN_DAYS = 7  # fewer days of samples draw no trend: a weekly backup or batch would look like growth
HORIZON_DAYS = 3 * 365  # a "full on" date further away than this is not a forecast worth printing

Kind = CapacitySample.Kind


def current() -> list[tuple[str, int, str, float]]:
    """(kind, object id, name, per cent used) of every capacity now."""
    from irtis.inventory.models import StorageCapacity
    from irtis.network.models import Prefix
    from irtis.virtualization.capacity import Capacity
    from irtis.virtualization.models import Cluster

    found: list[tuple[str, int, str, float]] = []
    for cluster in Cluster.objects.with_capacity():
        cap = Capacity.of(cluster)
        if cap.memory_ratio is not None:
            found.append((Kind.CLUSTER_MEMORY, cluster.pk, cluster.name, 100 * cap.memory_ratio))
        if cap.vcpu_ratio is not None and cap.vcpu_limit:
            found.append((Kind.CLUSTER_VCPU, cluster.pk, cluster.name, 100 * cap.vcpu_ratio / float(cap.vcpu_limit)))
        if cap.storage_gb:
            found.append((Kind.CLUSTER_DISK, cluster.pk, cluster.name, 100 * cap.disk_gb / cap.storage_gb))
    for array in StorageCapacity.objects.select_related("device").filter(usable_tb__gt=0):
        found.append((Kind.STORAGE, array.pk, array.device.name, float(100 * array.used_tb / array.usable_tb)))
    for pk, prefix, share in Prefix.objects.filter(status=Prefix.Status.CONTAINER).values_list(
            "pk", "prefix", "utilisation"):
        found.append((Kind.ADDRESSES, pk, str(prefix), float(share or 0)))
    return found


def record(day: dt.date) -> int:
    """Keep `day`'s samples (a second run the same day replaces them); the number kept."""
    samples = [CapacitySample(day=day, kind=kind, object_id=pk, name=name[:200], percent=round(share, 3))
               for kind, pk, name, share in current()]
    CapacitySample.objects.bulk_create(samples, update_conflicts=True, unique_fields=["day", "kind", "object_id"],
                                       update_fields=["name", "percent"])
    return len(samples)


@dataclass(frozen=True)
class Trend:
    kind: str
    object_id: int
    name: str  # as last sampled
    first: float
    last: float
    per_30_days: float  # percentage points, by the fitted line
    full_on: dt.date | None  # when the line reaches FULL, if it rises and within HORIZON_DAYS

    @property
    def change(self) -> float:
        return self.last - self.first

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)


def trends(samples: Iterable[tuple[str, int, str, dt.date, float]]) -> list[Trend]:
    """One trend per object from its (kind, object id, name, day, per cent) samples, given in day
    order; objects sampled over fewer than MIN_SPAN_DAYS days have none."""
    series: dict[tuple[str, int], list[tuple[str, dt.date, float]]] = defaultdict(list)
    for kind, pk, name, day, share in samples:
        series[kind, pk].append((name, day, share))
    found = []
    for (kind, pk), points in series.items():
        first_day, last_day = points[0][1], points[-1][1]
        if (last_day - first_day).days < MIN_SPAN_DAYS:
            continue
        days = [(day - first_day).days for _n, day, _s in points]
        slope, _intercept = statistics.linear_regression(days, [share for _n, _d, share in points])
        last = points[-1][2]
        full_on = None
        if slope > 0 and last < FULL and (ahead := (FULL - last) / slope) <= HORIZON_DAYS:
            full_on = last_day + dt.timedelta(days=round(ahead))
        found.append(Trend(kind, pk, points[-1][0], points[0][2], last, 30 * slope, full_on))
    return found
