"""The risk of work on some objects, from the impact analysis of their failure together.

High: an information system of the most important category (rank 1) stops, or three systems or
more stop. Medium: any system stops, or a most important one degrades. Low: the rest.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from irtis.systems import graph
from irtis.systems.models import InformationSystem

from .impact import covered
from .models import MaintenanceWindow, Risk

HIGH_STOPPED = 3


@dataclass
class Assessment:
    level: str
    systems: int  # affected information systems, stopped or degraded
    impact: graph.Impact

    @property
    def label(self) -> str:
        return str(Risk(self.level).label)


def _existing(nodes: list[graph.Node]) -> list[graph.Node]:
    """The nodes whose objects still exist (a query per kind): a deleted object affects nothing."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in nodes:
        by_type[type_id].add(object_id)
    found = []
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            found += [(type_id, pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)]
    return found


def assess(windows: list[MaintenanceWindow], user: object = None) -> Assessment:
    """The risk of the windows' work (their objects unavailable together)."""
    nodes = [n for found in covered(w.pk for w in windows).values() for n in found]
    found = graph.impact(_existing(nodes), user=user)
    # A failover is an outage too, for its RTO: the work stops those systems until it has run.
    stopped = {n.object_id for n in [*found.systems_stopped, *found.systems_failover]} | {
        n.object_id for n in found.failed if n.kind == "systems.informationsystem"}
    degraded = {n.object_id for n in found.systems_degraded}
    ranks = dict(InformationSystem.objects.filter(pk__in=stopped | degraded).values_list("pk", "category__rank"))
    if len(stopped) >= HIGH_STOPPED or any(ranks.get(pk) == 1 for pk in stopped):
        level = Risk.HIGH
    elif stopped or any(ranks.get(pk) == 1 for pk in degraded):
        level = Risk.MEDIUM
    else:
        level = Risk.LOW
    return Assessment(level, len(stopped | degraded), found)
