"""SQL over the edge index (`systems_edge`, see `edges.py`), for SQLite (≥ 3.35) and PostgreSQL.

Every node is one 64-bit key, `type << 40 | id` (`key`), as the edge index's generated and
indexed columns `source_key` / `target_key` hold it (migration 0004): an index of one integer
per end is narrower than one of (type, id) pairs, and each comparison is one integer. Queries
take nodes as (type, id) and give them back so.

A step of a walk is one probe of a covering index: (target) → sources going up, (source) →
targets going down. Closures (what a failure stops or touches, the candidates of a single point
of failure) are recursive CTEs over keys: `UNION` keeps the visited set, so each object is
expanded once and cycles terminate. Walks that need each object's distance are staged instead
(`walk_start` / `walk_step`, one INSERT … SELECT per level into a temporary table): a recursive
CTE carrying the depth expands an object again at every depth a path reaches it, which on a
densely connected estate is several times the work. The single points of failure follow tens
of thousands of (failed object, stopped object) pairs up: on PostgreSQL through a hash table of
the candidates' edges built once (`cand_edges`), as an index probe per pair costs it ten times
more; SQLite probes the index, as its recursive step runs once per row.

Joins to the edges are written `CROSS JOIN`: SQLite then starts from the (small) walk's rows and
probes the index, where it would otherwise scan the whole index to save a sort.
"""

from collections.abc import Iterable

from django.db import connection

from .branches import db_column, db_table, needs, type_id
from .edges import edge_table

Node = tuple[int, int]
WALK = "systems_walk"  # a temporary table: the staged walk's visited set with distances
KEY_BITS = 40
KEY_MASK = (1 << KEY_BITS) - 1
HARD, GROUP, NOT_SOFT = "e.mode = 'hard'", "e.mode = 'group'", "e.mode <> 'soft'"


def key(node: Node) -> int:
    """The 64-bit key of a node, as the edge index holds it: ids stay below 2**40."""
    type_id, object_id = node
    return int(type_id) << KEY_BITS | int(object_id)


def _pair(column: str) -> str:
    """The (type, id) columns of a key column, for a query's result."""
    return f"{column} >> {KEY_BITS}, {column} & {KEY_MASK}"


def _keys(name: str, columns: tuple[str, ...], rows: Iterable[tuple[int, ...]]) -> str:
    """A CTE `name(columns)` of rows of keys (ints only: validated by the caller, never text)."""
    body = ", ".join(f"({', '.join(str(int(k)) for k in row)})" for row in rows)
    if not body:
        empty = ", ".join("CAST(NULL AS BIGINT)" for _ in columns)
        return f"{name}({', '.join(columns)}) AS (SELECT {empty} WHERE 1 = 0)"
    cast = ", ".join(f"CAST(column{n} AS BIGINT) AS {c}" for n, c in enumerate(columns, start=1))
    return f"{name}({', '.join(columns)}) AS (SELECT {cast} FROM (VALUES {body}) AS v)"


def values(nodes: Iterable[Node], name: str = "seed") -> str:
    """A CTE `name(k)` holding the nodes' keys."""
    return _keys(name, ("k",), ((key(n),) for n in nodes))


def _ends(direction: str) -> tuple[str, str]:
    """(near, far) column prefixes of an edge walked `direction` ("down": source → target)."""
    return ("source", "target") if direction == "down" else ("target", "source")


def _culled(condition: str) -> str:
    """A filter on the edges of a step, tied (on SQLite) to the walk's row r. A filter on the
    edges alone makes SQLite, once ANALYZE has run, scan the whole edge index into a Bloom
    filter before the first probe: 40 ms for a walk that visits 7 objects, 0.1 ms with this.
    PostgreSQL keeps the plain filter: tied to r, a NOT EXISTS becomes a subplan per edge row
    instead of a hash anti-join. Untied, the failover walk's NOT IN (`survive`) even gave a
    wrong answer once ANALYZE had run (SQLite 3.40): nothing stopped beyond the failed objects."""
    return f"({condition} OR r.k IS NULL)" if connection.vendor == "sqlite" else condition


def _step(rec: str, direction: str, modes: str = "", carry: str = "", where: Iterable[str] = ()) -> str:
    """The recursive term: the far ends of the edges (of `modes`, an SQL condition on e.mode)
    whose near end is a row r of `rec`, meeting the further conditions `where` (on r and e)."""
    near, far = _ends(direction)
    terms = [f"e.{near}_key = r.k", *([_culled(modes)] if modes else []), *where]
    return (f"SELECT e.{far}_key{', ' + carry if carry else ''} "
            f"FROM {rec} r CROSS JOIN {edge_table()} e WHERE {' AND '.join(terms)}")


def _reach(name: str, start: str, direction: str, modes: str = "") -> str:
    """A recursive CTE `name(k)`: every node reachable from those of `start`, each once."""
    return f"{name}(k) AS (SELECT k FROM {start} UNION {_step(name, direction, modes)})"


def closure(seeds: Iterable[Node], direction: str, modes: str = "") -> str:
    """Every node reachable from the seeds (seeds included): the walk of an impact's "affected"
    objects, alone (the benchmark's bare CTE)."""
    return f"WITH RECURSIVE {values(seeds)}, {_reach('reach', 'seed', direction, modes)} SELECT {_pair('k')} FROM reach"


def walk_start(seeds: Iterable[Node]) -> list[str]:
    """Statements that empty the staged walk's table and put the seeds in it at distance 0.
    The walk keeps one integer key per node (on SQLite the rowid itself)."""
    drop, kind = (" ON COMMIT DROP", "BIGINT") if connection.vendor == "postgresql" else ("", "INTEGER")
    keys = ", ".join(f"({k}, 0)" for k in sorted({key(n) for n in seeds}))
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
    return f"SELECT {_pair('k')}, depth FROM {WALK}"


def edges_among(nodes: Iterable[Node]) -> str:
    """Edges whose both ends are among the nodes: (source t, i, target t, i, kind, mode). Joined,
    not filtered with EXISTS or IN: SQLite then indexes the nodes once (an automatic index) where
    it would otherwise scan them for every edge row or probe the index for every pair."""
    return (f"WITH {values(nodes, 'nodes')} SELECT DISTINCT e.source_type, e.source_id, e.target_type, "
            f"e.target_id, e.kind, e.mode FROM nodes n CROSS JOIN {edge_table()} e CROSS JOIN nodes n2 "
            f"WHERE e.source_key = n.k AND n2.k = e.target_key")


def _need() -> str:
    """How many members of the group of source e must run: the number its model declares
    (`GraphEdge.need`, a component's required instances), else 1."""
    terms = []
    for need in needs():
        kind, pk = type_id(need.model), db_column(need.model, need.model._meta.pk.name)
        terms.append(f"(SELECT c.{db_column(need.model, need.column)} FROM {db_table(need.model)} c "
                     f"WHERE c.{pk} = e.source_key - {key((kind, 0))} AND e.source_key >> {KEY_BITS} = {kind})")
    return f"COALESCE({', '.join([*terms, '1'])})"


def _stage(done: bool, survive: bool = False) -> list[str]:
    """CTEs stop_set (what stops when the objects of `base` fail, walked up hard edges) and grp
    (redundant groups left with fewer running members than they need). With `done`, the CTE
    `done(t, i)` holds what an earlier stage found stopped: it counts as stopped but is not walked
    again (a later stage walks up from the new groups only). With `survive`, the objects of the
    CTE `survive(k)` never stop (they fail over to a standby that runs)."""
    # NOT IN: both databases hash or index `done` once; NOT EXISTS rescans it on SQLite.
    unseen = ["r.k NOT IN (SELECT d.k FROM done d)"] if done else []
    kept = [_culled("e.source_key NOT IN (SELECT sv.k FROM survive sv)")] if survive else []
    total = f"(SELECT COUNT(*) FROM {edge_table()} g WHERE g.source_key = e.source_key AND g.mode = 'group')"
    return [
        f"stop_set(k) AS (SELECT k FROM base UNION {_step('stop_set', 'up', HARD, where=[*unseen, *kept])})",
        f"stop_mat(k) AS MATERIALIZED (SELECT k FROM stop_set{' UNION SELECT k FROM done' if done else ''})",
        f"grp(k) AS (SELECT e.source_key FROM stop_mat r CROSS JOIN {edge_table()} e "
        f"WHERE e.target_key = r.k AND {_culled(GROUP)}{''.join(' AND ' + k for k in kept)} "
        f"GROUP BY e.source_key HAVING COUNT(DISTINCT e.target_key) > {total} - {_need()})",
    ]


def impact(failed: Iterable[Node], affected: bool, kinds: Iterable[int] | None = None,
           among: Iterable[Node] | None = None, done: Iterable[Node] = (), survive: Iterable[Node] = ()) -> str:
    """One stage of an impact: rows (state, t, i) — "s" stopped, "g" redundant groups stopped;
    when `affected`, "a" the affected objects (reachable up any edge), only those of the content
    types `kinds` and among the nodes `among` if given, and one row ("n", count, 0) counting
    them all. The next stage fails the new groups, with `done` the stop set found so far. The
    objects `survive` never stop (failover: see `graph.failover`)."""
    done, survive = list(done), list(survive)
    ctes = [values(failed, "base"), *([values(done, "done")] if done else []),
            *([values(survive, "survive")] if survive else []), *_stage(bool(done), bool(survive))]
    tail = ""
    if affected:
        ctes.append(_reach("aff", "base", "up"))
        terms = []
        if kinds is not None:
            terms.append(f"k >> {KEY_BITS} IN ({', '.join(str(int(t)) for t in kinds) or 'NULL'})")
        if among is not None:  # IN: SQLite indexes the map's nodes once; EXISTS rescans them per row
            ctes.append(values(among, "among"))
            terms.append("k IN (SELECT m.k FROM among m)")
        only = f" WHERE {' AND '.join(terms)}" if terms else ""
        tail = f" UNION ALL SELECT 'a', {_pair('k')} FROM aff{only} UNION ALL SELECT 'n', COUNT(*), 0 FROM aff"
    return (f"WITH RECURSIVE {', '.join(ctes)} SELECT 's', {_pair('k')} FROM stop_mat "
            f"UNION ALL SELECT 'g', {_pair('k')} FROM grp{tail}")


def recovery(subjects: Iterable[tuple[Node, int]], recovered: Iterable[Node]) -> str:
    """Rows (t, i, minutes): each recovered object (stopped, but running again once the failover
    paths have run) with the longest RTO, in minutes, of the paths whose subjects (the objects
    that fail over, with their RTO) it is reached from, walking up the edges among the recovered."""
    within = _culled("e.source_key IN (SELECT rc.k FROM recovered rc)")
    step = _step("up", "up", carry="r.m", where=[within])
    ctes = [_keys("subject", ("k", "m"), ((key(n), m) for n, m in subjects)), values(recovered, "recovered"),
            f"up(k, m) AS (SELECT k, m FROM subject UNION {step})"]
    return f"WITH RECURSIVE {', '.join(ctes)} SELECT {_pair('k')}, MAX(m) FROM up GROUP BY k"


def standby_closure(standbys: Iterable[tuple[int, Node]]) -> str:
    """Rows (p, t, i): everything each standby (path id p, standby node) needs, itself included
    (hard and group edges down): a failure among them stops the standby too."""
    step = _step("sb_down", "down", NOT_SOFT, carry="r.p")
    ctes = [_keys("sb", ("k", "p"), ((key(n), p) for p, n in standbys)),
            f"sb_down(k, p) AS (SELECT k, p FROM sb UNION {step})"]
    return f"WITH RECURSIVE {', '.join(ctes)} SELECT p, {_pair('k')} FROM sb_down"


def single_points(systems: Iterable[Node], known: Iterable[tuple[int, int, int, int]],
                  failing: Iterable[Node] | None = None, shield: Iterable[Node] = (),
                  exempt: Iterable[tuple[Node, Node]] = ()) -> str:
    """One stage of the single-points-of-failure analysis: rows (state, xt, xi, t, i) — "s":
    the failure of object x alone stops system t/i; "g": groups x alone stops (feed back).
    Every candidate x is analysed, or only those in `failing` if given.

    Every row carries the failed object (xt, xi) it stems from, so one query answers "what does
    each object's single failure stop" for all candidates at once (see the module's docstring
    for how the pairs follow the hard edges up on each database).
    """
    only = ""
    if failing is not None:
        only = " WHERE EXISTS (SELECT 1 FROM failing f WHERE f.k = cand.k)"
    shield, exempt = list(shield), list(exempt)
    # A shielded object (one that fails over) does not stop, unless the failure is one its
    # standby needs too (an `exempt` pair: object, failure).
    kept = ("(e.source_key NOT IN (SELECT sh.k FROM shield sh) OR EXISTS (SELECT 1 FROM exempt x "
            "WHERE x.k = e.source_key AND x.xk = r.xk))") if shield else ""
    if connection.vendor == "postgresql":  # cand_edges holds only edges from candidates
        up = (f"SELECT e.source_key, r.xk FROM stop_set r CROSS JOIN cand_edges e WHERE e.target_key = r.k AND {HARD}"
              f"{' AND ' + kept if kept else ''}")
    else:  # kept to sources among the candidates: nothing else can stop a system
        up = _step("stop_set", "up", HARD, "r.xk",
                   [_culled("e.source_key IN (SELECT cz.k FROM cand cz)"), *([kept] if kept else [])])
    ctes = [
        values(systems, "tops"),
        values(failing or [], "failing"),
        *([values(shield, "shield"), _keys("exempt", ("k", "xk"), ((key(a), key(b)) for a, b in exempt))]
          if shield else []),
        _reach("cand", "tops", "down", NOT_SOFT),
        _candidate_edges(),
        f"base(k, xk) AS MATERIALIZED (SELECT k, k FROM cand{only})",
        _keys("known", ("k", "xk"), ((key((t, i)), key((xt, xi))) for t, i, xt, xi in known)),
        f"stop_set(k, xk) AS (SELECT k, xk FROM base UNION SELECT k, xk FROM known UNION {up})",
        "stop_mat(k, xk) AS MATERIALIZED (SELECT k, xk FROM stop_set)",
        f"grp(k, xk) AS (SELECT e.source_key, r.xk FROM stop_mat r CROSS JOIN cand_edges e "
        f"WHERE e.target_key = r.k AND {GROUP}{' AND ' + kept if kept else ''} "
        f"GROUP BY e.source_key, r.xk HAVING COUNT(DISTINCT e.target_key) > MIN(e.spare))",
    ]
    return (
        f"WITH RECURSIVE {', '.join(ctes)} "
        f"SELECT 's', {_pair('s.xk')}, {_pair('s.k')} FROM stop_mat s JOIN tops ON tops.k = s.k "
        f"UNION ALL SELECT 'g', {_pair('xk')}, {_pair('k')} FROM grp"
    )


def _candidate_edges() -> str:
    """CTE cand_edges: the hard and group edges from the candidates (their targets are candidates
    too), a group's edges with its spare members (how many may fail while it runs)."""
    members = "COUNT(*) OVER (PARTITION BY e.source_key, e.mode)"
    return (f"cand_edges(source_key, target_key, mode, spare) AS MATERIALIZED ("
            f"SELECT e.source_key, e.target_key, e.mode, CASE WHEN {GROUP} THEN {members} - {_need()} END "
            f"FROM cand r CROSS JOIN {edge_table()} e WHERE e.source_key = r.k AND {_culled(NOT_SOFT)})")
