"""Which information systems each object's unavailability affects, for many objects in one query.

An information system is affected by an object when it depends on it along any path of the
dependency graph: the "affected" closure of `irtis.systems.graph.impact` (stopped or degraded),
walked here with each row carrying the object it started from, so that the systems affected by
every window's objects come from one recursive query over the edge index, whatever the number of
windows.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from irtis.systems.edges import edge_table
from irtis.systems.graph import Node
from irtis.systems.models import InformationSystem
from irtis.systems.sql import KEY_BITS, KEY_MASK, key


def system_type() -> int:
    return ContentType.objects.get_for_model(InformationSystem).id


def affected_systems(objects: Iterable[Node]) -> dict[Node, set[int]]:
    """For each object, the ids of the information systems that depend on it (a system covers
    itself). One query; objects that no longer exist affect nothing."""
    seeds = sorted({key(n) for n in objects})
    result: dict[Node, set[int]] = defaultdict(set)
    if not seeds:
        return result
    systems = system_type()
    rows = ", ".join(f"(CAST({k} AS BIGINT), CAST({k} AS BIGINT))" for k in seeds)
    query = (
        f"WITH RECURSIVE seed(k, origin) AS (VALUES {rows}), "
        f"up(k, origin) AS (SELECT k, origin FROM seed UNION "
        f"SELECT e.source_key, r.origin FROM up r CROSS JOIN {edge_table()} e WHERE e.target_key = r.k) "
        f"SELECT origin >> {KEY_BITS}, origin & {KEY_MASK}, k & {KEY_MASK} FROM up WHERE k >> {KEY_BITS} = {systems}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        for origin_type, origin_id, system_id in cursor.fetchall():
            result[(int(origin_type), int(origin_id))].add(int(system_id))
    return result
