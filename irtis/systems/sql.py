"""Recursive SQL (CTE) over the edges of `edges.py`, for SQLite (≥ 3.34) and PostgreSQL.

The recursive term joins each edge branch to the walk's rows on an indexed column. SQLite takes
the branches as several recursive SELECTs; PostgreSQL, which allows one reference to the
recursive table, as a LATERAL UNION ALL. Cycles terminate: walks are `UNION` (not `UNION ALL`)
over their columns, so a row produced before is discarded (the visited set), and layered walks
also stop at a depth limit.
"""

from collections.abc import Iterable

from django.db import connection

from .edges import Branch, branches, select

Node = tuple[int, int]


def values(nodes: Iterable[Node], name: str = "seed") -> str:
    """A CTE `name(t, i)` holding the nodes (ints only: validated by the caller, never text)."""
    rows = ", ".join(f"({int(t)}, {int(i)})" for t, i in nodes)
    if not rows:
        return f"{name}(t, i) AS (SELECT CAST(NULL AS INTEGER), CAST(NULL AS BIGINT) WHERE 1 = 0)"
    return (f"{name}(t, i) AS (SELECT CAST(column1 AS INTEGER) AS t, CAST(column2 AS BIGINT) AS i "
            f"FROM (VALUES {rows}) AS v)")


def _chosen(modes: str) -> tuple[list[Branch], bool]:
    """Branches of a walk: "all" edges, "stop" (edges whose failure stops the source, hard
    only), "nosoft" (edges that can take part in stopping), "group" (redundant groups)."""
    every = branches()
    if modes == "all":
        return list(every), False
    if modes == "stop":
        return [b for b in every if b.can_stop], True
    if modes == "group":
        return [b for b in every if b.mode == "group"], False
    return [b for b in every if b.mode != "soft"], True


def step(rec: str, direction: str, modes: str, extra: Iterable[str] = (), columns: str = "") -> str:
    """The recursive term(s) walking from the rows of `rec` one edge further."""
    chosen, hard_only = _chosen(modes)
    extra = tuple(extra)
    if connection.vendor == "postgresql":
        inner = " UNION ALL ".join(select(b, direction, None, extra, hard_only, columns) for b in chosen)
        return f"SELECT e.* FROM {rec} r CROSS JOIN LATERAL ({inner}) e"
    return " UNION ".join(select(b, direction, rec, extra, hard_only, columns) for b in chosen)


def neighbours(rec: str, direction: str, modes: str, extra: Iterable[str] = (), columns: str = "") -> str:
    """A non-recursive UNION ALL of every branch joined to `rec`."""
    chosen, hard_only = _chosen(modes)
    return " UNION ALL ".join(select(b, direction, rec, tuple(extra), hard_only, columns) for b in chosen)


def walk(seeds: Iterable[Node], direction: str, depth: int, modes: str = "all") -> str:
    """Every node within `depth` edges of the seeds, with its shortest distance."""
    return (
        f"WITH RECURSIVE {values(seeds)}, walk(t, i, depth) AS ("
        f"SELECT t, i, 0 FROM seed UNION "
        f"{step('walk', direction, modes, extra=[f'r.depth < {int(depth)}'], columns='r.depth + 1 AS depth')}"
        f") SELECT t, i, MIN(depth) FROM walk GROUP BY t, i"
    )


def edges_among(nodes: Iterable[Node]) -> str:
    """Edges whose both ends are among the nodes: (source t, i, target t, i, kind, mode)."""
    kinds = []
    for b in branches():
        mode = f"CASE WHEN {b.hard_when} THEN 'hard' ELSE 'soft' END" if b.mode == "dynamic" else f"'{b.mode}'"
        kinds.append(select(
            b, "down", "nodes", extra=["EXISTS (SELECT 1 FROM nodes n2 WHERE n2.t = {t} AND n2.i = {i})"],
            columns=f"r.t AS st, r.i AS si, {b.kind} AS kind, {mode} AS mode".replace("{", "{{").replace("}", "}}"),
        ))
    return f"WITH {values(nodes, 'nodes')} SELECT st, si, t, i, kind, mode FROM ({' UNION ALL '.join(kinds)}) x"


def _values4(rows: Iterable[tuple[int, int, int, int]], name: str) -> str:
    body = ", ".join(f"({int(a)}, {int(b)}, {int(c)}, {int(d)})" for a, b, c, d in rows)
    cast = ("CAST(column1 AS INTEGER) AS t, CAST(column2 AS BIGINT) AS i, "
            "CAST(column3 AS INTEGER) AS xt, CAST(column4 AS BIGINT) AS xi")
    if not body:
        return (f"{name}(t, i, xt, xi) AS (SELECT CAST(NULL AS INTEGER), CAST(NULL AS BIGINT), "
                f"CAST(NULL AS INTEGER), CAST(NULL AS BIGINT) WHERE 1 = 0)")
    return f"{name}(t, i, xt, xi) AS (SELECT {cast} FROM (VALUES {body}) AS v)"


def _stage(pairs: bool, restrict: str = "") -> list[str]:
    """CTEs stop_set (what stops when the base objects and the groups already known to stop fail,
    walked up hard edges) and grp (redundant groups left with too few members).

    With `pairs`, every row also carries the failed object (xt, xi) it stems from, so one query
    answers "what does each object's single failure stop" for many objects at once.
    """
    cols = "t, i, xt, xi" if pairs else "t, i"
    carry = "r.xt AS xt, r.xi AS xi" if pairs else ""
    keep = "xt, xi, " if pairs else ""
    extra = [restrict] if restrict else []
    member_columns = f"{carry + ', ' if pairs else ''}{{near_i}} AS mi, " + "{need} AS need, {total} AS total"
    members = neighbours("stop_mat", "up", "group", columns=member_columns)
    walk_up = step("stop_set", "up", "stop", extra, carry)
    return [
        f"stop_set({cols}) AS (SELECT {cols} FROM base UNION SELECT {cols} FROM known UNION {walk_up})",
        f"stop_mat({cols}) AS MATERIALIZED (SELECT {cols} FROM stop_set)",
        f"grp({cols}) AS (SELECT t, i{', xt, xi' if pairs else ''} FROM ({members}) c "
        f"GROUP BY t, i, {keep}need, total HAVING COUNT(DISTINCT mi) > total - need)",
    ]


def impact(failed: Iterable[Node], known: Iterable[Node], affected: bool) -> str:
    """One stage of an impact: rows (state, t, i) — "s" stopped, "g" redundant groups stopped
    (feed them back as `known` until no new one appears), "a" affected (reachable up any edge,
    when `affected`)."""
    ctes = [values(failed, "base"), values(known, "known"), *_stage(False)]
    tail = ""
    if affected:
        ctes.append(f"aff(t, i) AS (SELECT t, i FROM base UNION {step('aff', 'up', 'all')})")
        tail = " UNION ALL SELECT 'a', t, i FROM aff"
    return f"WITH RECURSIVE {', '.join(ctes)} SELECT 's', t, i FROM stop_mat UNION ALL SELECT 'g', t, i FROM grp{tail}"


def single_points(systems: Iterable[Node], known: Iterable[tuple[int, int, int, int]]) -> str:
    """One stage of the single-points-of-failure analysis: rows (state, xt, xi, t, i) — "s":
    the failure of object x alone stops system t/i; "g": groups x alone stops (feed back)."""
    ctes = [
        values(systems, "tops"),
        f"cand(t, i) AS (SELECT t, i FROM tops UNION {step('cand', 'down', 'nosoft')})",
        "base(t, i, xt, xi) AS MATERIALIZED (SELECT t, i, t, i FROM cand)",
        _values4(known, "known"),
        *_stage(True, restrict="EXISTS (SELECT 1 FROM cand cz WHERE cz.t = {t} AND cz.i = {i})"),
    ]
    return (
        f"WITH RECURSIVE {', '.join(ctes)} "
        f"SELECT 's', s.xt, s.xi, s.t, s.i FROM stop_mat s JOIN tops ON tops.t = s.t AND tops.i = s.i "
        f"UNION ALL SELECT 'g', xt, xi, t, i FROM grp"
    )
