"""SQL over the edge index (`systems_edge`, see `edges.py`), for SQLite (≥ 3.35) and PostgreSQL.

A step of a walk is one probe of a covering index: (target) → sources going up, (source) →
targets going down. Closures (what a failure stops or touches, the candidates of a single point
of failure) are recursive CTEs over (t, i): `UNION` keeps the visited set, so each object is
expanded once and cycles terminate. Walks that need each object's distance are staged instead
(`walk_start` / `walk_step`, one INSERT … SELECT per level into a temporary table, over the
edges' generated 64-bit keys `source_key` / `target_key`, see migration 0004): a recursive
CTE carrying the depth expands an object again at every depth a path reaches it, which on a
densely connected estate is several times the work. The single points of failure follow tens
of thousands of (failed object, stopped object) pairs up: on PostgreSQL through a hash table of
the candidates' edges built once (`cand_edges`), as an index probe per pair costs it ten times
more; SQLite probes the index, as its recursive step runs once per row.

Joins to the edges are written `CROSS JOIN`: SQLite then starts from the (small) walk's rows and
probes the index, where it would otherwise scan the whole index to save a sort.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from .edges import edge_table

Node = tuple[int, int]
WALK = "systems_walk"  # a temporary table: the staged walk's visited set with distances
KEY_BITS = 40
KEY_MASK = (1 << KEY_BITS) - 1
HARD, GROUP, NOT_SOFT = "e.mode = 'hard'", "e.mode = 'group'", "e.mode <> 'soft'"


def values(nodes: Iterable[Node], name: str = "seed") -> str:
    """A CTE `name(t, i)` holding the nodes (ints only: validated by the caller, never text)."""
    rows = ", ".join(f"({int(t)}, {int(i)})" for t, i in nodes)
    if not rows:
        return f"{name}(t, i) AS (SELECT CAST(NULL AS INTEGER), CAST(NULL AS BIGINT) WHERE 1 = 0)"
    return (f"{name}(t, i) AS (SELECT CAST(column1 AS INTEGER) AS t, CAST(column2 AS BIGINT) AS i "
            f"FROM (VALUES {rows}) AS v)")


def _ends(direction: str) -> tuple[str, str]:
    """(near, far) column prefixes of an edge walked `direction` ("down": source → target)."""
    return ("source", "target") if direction == "down" else ("target", "source")


def _culled(condition: str) -> str:
    """A filter on the edges of a step, tied (on SQLite) to the walk's row r. A filter on the
    edges alone makes SQLite, once ANALYZE has run, scan the whole edge index into a Bloom
    filter before the first probe: 40 ms for a walk that visits 7 objects, 0.1 ms with this.
    PostgreSQL keeps the plain filter: tied to r, a NOT EXISTS becomes a subplan per edge row
    instead of a hash anti-join."""
    return f"({condition} OR r.t IS NULL)" if connection.vendor == "sqlite" else condition


def _step(rec: str, direction: str, modes: str = "", carry: str = "", where: Iterable[str] = ()) -> str:
    """The recursive term: the far ends of the edges (of `modes`, an SQL condition on e.mode)
    whose near end is a row r of `rec`, meeting the further conditions `where` (on r and e)."""
    near, far = _ends(direction)
    terms = [f"e.{near}_type = r.t", f"e.{near}_id = r.i", *([_culled(modes)] if modes else []), *where]
    return (f"SELECT e.{far}_type, e.{far}_id{', ' + carry if carry else ''} "
            f"FROM {rec} r CROSS JOIN {edge_table()} e WHERE {' AND '.join(terms)}")


def _reach(name: str, start: str, direction: str, modes: str = "") -> str:
    """A recursive CTE `name(t, i)`: every node reachable from those of `start`, each once."""
    return f"{name}(t, i) AS (SELECT t, i FROM {start} UNION {_step(name, direction, modes)})"


def closure(seeds: Iterable[Node], direction: str, modes: str = "") -> str:
    """Every node reachable from the seeds (seeds included): the walk of an impact's "affected"
    objects, alone (the benchmark's bare CTE)."""
    return f"WITH RECURSIVE {values(seeds)}, {_reach('reach', 'seed', direction, modes)} SELECT t, i FROM reach"


def key(node: Node) -> int:
    """The 64-bit key of a node, as the edge index's generated `source_key` and `target_key`
    columns hold it (migration 0004): ids stay below 2**40."""
    type_id, object_id = node
    return int(type_id) << KEY_BITS | int(object_id)


def node(packed: int) -> Node:
    """The node of a key (see `key`)."""
    return (packed >> KEY_BITS, packed & KEY_MASK)


def walk_start(seeds: Iterable[Node]) -> list[str]:
    """Statements that empty the staged walk's table and put the seeds in it at distance 0.
    The walk keeps one integer key per node (on SQLite the rowid itself)."""
    drop, kind = (" ON COMMIT DROP", "BIGINT") if connection.vendor == "postgresql" else ("", "INTEGER")
    keys = ", ".join(f"({k}, 0)" for k in sorted({key(s) for s in seeds}))
    return [
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {WALK} (k {kind} PRIMARY KEY, depth INTEGER NOT NULL){drop}",
        f"CREATE INDEX IF NOT EXISTS {WALK}_depth ON {WALK} (depth)",
        f"DELETE FROM {WALK}",
        *([f"INSERT INTO {WALK} (k, depth) VALUES {keys}"] if keys else []),
    ]


def walk_step(direction: str, depth: int) -> str:
    """Add the nodes first reached at distance `depth + 1` (their rowcount 0 ends the walk).

    The far ends are made distinct before they are checked against the visited set: a layer
    reaches the same node along several edges (five edge rows per distinct node on the
    benchmark estate), and each check is an index probe."""
    near, far = _ends(direction)
    return (f"INSERT INTO {WALK} (k, depth) SELECT x.k, {int(depth) + 1} FROM "
            f"(SELECT DISTINCT e.{far}_key AS k FROM {WALK} r CROSS JOIN {edge_table()} e "
            f"WHERE r.depth = {int(depth)} AND e.{near}_key = r.k) x "
            f"WHERE NOT EXISTS (SELECT 1 FROM {WALK} w WHERE w.k = x.k)")


def walk_result() -> str:
    return f"SELECT k, depth FROM {WALK}"


def edges_among(nodes: Iterable[Node]) -> str:
    """Edges whose both ends are among the nodes: (source t, i, target t, i, kind, mode)."""
    return (f"WITH {values(nodes, 'nodes')} SELECT DISTINCT e.source_type, e.source_id, e.target_type, "
            f"e.target_id, e.kind, e.mode FROM nodes n JOIN {edge_table()} e "
            f"ON e.source_type = n.t AND e.source_id = n.i "
            f"WHERE EXISTS (SELECT 1 FROM nodes n2 WHERE n2.t = e.target_type AND n2.i = e.target_id)")


def _values4(rows: Iterable[tuple[int, int, int, int]], name: str) -> str:
    body = ", ".join(f"({int(a)}, {int(b)}, {int(c)}, {int(d)})" for a, b, c, d in rows)
    cast = ("CAST(column1 AS INTEGER) AS t, CAST(column2 AS BIGINT) AS i, "
            "CAST(column3 AS INTEGER) AS xt, CAST(column4 AS BIGINT) AS xi")
    if not body:
        return (f"{name}(t, i, xt, xi) AS (SELECT CAST(NULL AS INTEGER), CAST(NULL AS BIGINT), "
                f"CAST(NULL AS INTEGER), CAST(NULL AS BIGINT) WHERE 1 = 0)")
    return f"{name}(t, i, xt, xi) AS (SELECT {cast} FROM (VALUES {body}) AS v)"


def _need() -> str:
    """How many members of the group of source e must run: a component's required instances, else 1."""
    from .models import Component

    table = connection.ops.quote_name(Component._meta.db_table)
    required = connection.ops.quote_name(Component._meta.get_field("required_instances").column)
    kind = ContentType.objects.get_for_model(Component).id
    return (f"COALESCE((SELECT c.{required} FROM {table} c WHERE e.source_type = {kind} "
            f"AND c.id = e.source_id), 1)")


def _stage(done: bool) -> list[str]:
    """CTEs stop_set (what stops when the objects of `base` fail, walked up hard edges) and grp
    (redundant groups left with fewer running members than they need). With `done`, the CTE
    `done(t, i)` holds what an earlier stage found stopped: it counts as stopped but is not walked
    again (a later stage walks up from the new groups only)."""
    # NOT IN: both databases hash or index `done` once; NOT EXISTS rescans it on SQLite.
    unseen = ["(r.t, r.i) NOT IN (SELECT d.t, d.i FROM done d)"] if done else []
    total = (f"(SELECT COUNT(*) FROM {edge_table()} g WHERE g.source_type = e.source_type "
             f"AND g.source_id = e.source_id AND g.mode = 'group')")
    return [
        f"stop_set(t, i) AS (SELECT t, i FROM base UNION {_step('stop_set', 'up', HARD, where=unseen)})",
        f"stop_mat(t, i) AS MATERIALIZED (SELECT t, i FROM stop_set{' UNION SELECT t, i FROM done' if done else ''})",
        f"grp(t, i) AS (SELECT e.source_type, e.source_id FROM stop_mat r CROSS JOIN {edge_table()} e "
        f"WHERE e.target_type = r.t AND e.target_id = r.i AND {_culled(GROUP)} "
        f"GROUP BY e.source_type, e.source_id HAVING COUNT(DISTINCT e.target_id) > {total} - {_need()})",
    ]


def impact(failed: Iterable[Node], affected: bool, kinds: Iterable[int] | None = None,
           among: Iterable[Node] | None = None, done: Iterable[Node] = ()) -> str:
    """One stage of an impact: rows (state, t, i) — "s" stopped, "g" redundant groups stopped;
    when `affected`, "a" the affected objects (reachable up any edge), only those of the content
    types `kinds` and among the nodes `among` if given, and one row ("n", count, 0) counting
    them all. The next stage fails the new groups, with `done` the stop set found so far."""
    done = list(done)
    ctes = [values(failed, "base"), *([values(done, "done")] if done else []), *_stage(bool(done))]
    tail = ""
    if affected:
        ctes.append(_reach("aff", "base", "up"))
        terms = []
        if kinds is not None:
            terms.append(f"t IN ({', '.join(str(int(k)) for k in kinds) or 'NULL'})")
        if among is not None:  # IN: SQLite indexes the map's nodes once; EXISTS rescans them per row
            ctes.append(values(among, "among"))
            terms.append("(t, i) IN (SELECT m.t, m.i FROM among m)")
        only = f" WHERE {' AND '.join(terms)}" if terms else ""
        tail = f" UNION ALL SELECT 'a', t, i FROM aff{only} UNION ALL SELECT 'n', COUNT(*), 0 FROM aff"
    return f"WITH RECURSIVE {', '.join(ctes)} SELECT 's', t, i FROM stop_mat UNION ALL SELECT 'g', t, i FROM grp{tail}"


def single_points(systems: Iterable[Node], known: Iterable[tuple[int, int, int, int]],
                  failing: Iterable[Node] | None = None) -> str:
    """One stage of the single-points-of-failure analysis: rows (state, xt, xi, t, i) — "s":
    the failure of object x alone stops system t/i; "g": groups x alone stops (feed back).
    Every candidate x is analysed, or only those in `failing` if given.

    Every row carries the failed object (xt, xi) it stems from, so one query answers "what does
    each object's single failure stop" for all candidates at once (see the module's docstring
    for how the pairs follow the hard edges up on each database).
    """
    only = ""
    if failing is not None:
        only = " WHERE EXISTS (SELECT 1 FROM failing f WHERE f.t = cand.t AND f.i = cand.i)"
    if connection.vendor == "postgresql":  # cand_edges holds only edges from candidates
        up = ("SELECT e.source_type, e.source_id, r.xt, r.xi FROM stop_set r CROSS JOIN cand_edges e "
              f"WHERE e.target_type = r.t AND e.target_id = r.i AND {HARD}")
    else:  # kept to sources among the candidates: nothing else can stop a system
        up = _step("stop_set", "up", HARD, "r.xt, r.xi",
                   [_culled("(e.source_type, e.source_id) IN (SELECT cz.t, cz.i FROM cand cz)")])
    ctes = [
        values(systems, "tops"),
        values(failing or [], "failing"),
        _reach("cand", "tops", "down", NOT_SOFT),
        _candidate_edges(),
        f"base(t, i, xt, xi) AS MATERIALIZED (SELECT t, i, t, i FROM cand{only})",
        _values4(known, "known"),
        f"stop_set(t, i, xt, xi) AS (SELECT t, i, xt, xi FROM base UNION SELECT t, i, xt, xi FROM known UNION {up})",
        "stop_mat(t, i, xt, xi) AS MATERIALIZED (SELECT t, i, xt, xi FROM stop_set)",
        f"grp(t, i, xt, xi) AS (SELECT e.source_type, e.source_id, r.xt, r.xi FROM stop_mat r CROSS JOIN cand_edges e "
        f"WHERE e.target_type = r.t AND e.target_id = r.i AND {GROUP} "
        f"GROUP BY e.source_type, e.source_id, r.xt, r.xi HAVING COUNT(DISTINCT e.target_id) > MIN(e.spare))",
    ]
    return (
        f"WITH RECURSIVE {', '.join(ctes)} "
        f"SELECT 's', s.xt, s.xi, s.t, s.i FROM stop_mat s JOIN tops ON tops.t = s.t AND tops.i = s.i "
        f"UNION ALL SELECT 'g', xt, xi, t, i FROM grp"
    )


def _candidate_edges() -> str:
    """CTE cand_edges: the hard and group edges from the candidates (their targets are candidates
    too), a group's edges with its spare members (how many may fail while it runs)."""
    members = "COUNT(*) OVER (PARTITION BY e.source_type, e.source_id, e.mode)"
    return (f"cand_edges(source_type, source_id, target_type, target_id, mode, spare) AS MATERIALIZED ("
            f"SELECT e.source_type, e.source_id, e.target_type, e.target_id, e.mode, "
            f"CASE WHEN {GROUP} THEN {members} - {_need()} END "
            f"FROM cand r CROSS JOIN {edge_table()} e WHERE e.source_type = r.t AND e.source_id = r.i "
            f"AND {_culled(NOT_SOFT)})")
