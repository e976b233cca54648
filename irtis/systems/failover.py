"""Failover paths as the graph's walks read them (`graph.impact`, `graph.single_points_by_system`).

A path's *subjects* are the components that fail over: its component, or every production
component of its system that is not itself a standby. A failure that stops a subject while the
path's standby (and standby site) still runs stops it only until the failover: impact analysis
walks again with the subjects kept running (`sql.impact(survive=…)`), and what stops in the
first walk but not in the second is "stopped until failover", with the longest RTO of the paths
it waits for. A tested path (drill passed within `DRILL_VALID_DAYS`) counts in impact and
removes the single points of failure it covers; an untested one only marks them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from .models import Component, Deployment, FailoverPath
from .models.failover import tested_since

Node = tuple[int, int]


@dataclass(frozen=True)
class Path:
    pk: int
    system: int
    subjects: tuple[Node, ...]
    standby: Node
    standby_site: Node
    minutes: int
    tested: bool


def paths(systems: Iterable[int] | None = None) -> list[Path]:
    """The failover paths (of the given system ids), in one query, plus one naming the
    components of the paths that move a whole system."""
    from irtis.inventory.models import Site

    rows = FailoverPath.objects.values_list(
        "pk", "system_id", "component_id", "standby_id", "standby_site_id", "rto_hours", "last_tested", "test_result")
    if systems is not None:
        rows = rows.filter(system_id__in=list(systems))
    found = list(rows)
    whole = {system for _, system, component, *_ in found if component is None}
    parts: dict[int, list[int]] = defaultdict(list)
    if whole:
        production = Component.objects.filter(system_id__in=whole, environment="production", standby_for__isnull=True)
        for pk, system in production.values_list("pk", "system_id"):
            parts[system].append(pk)
    component, deployment, site = (ContentType.objects.get_for_model(m).id for m in (Component, Deployment, Site))
    since = tested_since()
    return [
        Path(pk, system, tuple((component, c) for c in ([part] if part else parts[system])), (deployment, standby),
             (site, standby_site), int(rto * 60), result == FailoverPath.Result.PASSED and tested is not None
             and tested >= since)
        for pk, system, part, standby, standby_site, rto, tested, result in found
    ]


def shielding(chosen: list[Path], closures: dict[int, set[Node]]) -> tuple[list[Node], list[tuple[Node, Node]]]:
    """For the single points of failure: the subjects of the chosen paths (they fail over), and
    the (subject, failure) pairs where every path of the subject loses its standby too
    (`closures`: what each path's standby needs)."""
    by_subject: dict[Node, set[Node] | None] = {}
    for path in chosen:
        for subject in path.subjects:
            needs = closures.get(path.pk, set())
            known = by_subject.get(subject)
            by_subject[subject] = set(needs) if known is None else known & needs
    exempt = [(subject, x) for subject, needs in by_subject.items() for x in sorted(needs or ())]
    return sorted(by_subject), exempt
