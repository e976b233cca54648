"""The edges of the dependency graph: explicit `Dependency` rows plus the edges implied by real
foreign-key and many-to-many columns (a virtual machine runs on its cluster, a cluster on its
hosts …), each declared by the model that records it (`irtis.core.graph`, `branches.py`).

An edge runs from the object that depends to the object it depends on, and has a mode:

- `hard`: the target's failure stops the source;
- `soft`: the target's failure only degrades the source;
- `group`: the source has a redundant group of targets and keeps running while at least
  `need` of them run (a cluster's hosts, a component's deployments, a RAC database's nodes).

Each declared edge type is a `Branch`: a FROM clause with the SQL expressions of the source and
target, read from the column that records it. The walks do not read the branches: they read
`systems_edge` (`models.Edge`), a derived index holding every branch's rows, so one recursion
step is one index probe instead of one probe per branch (25; see docs/architecture.md).
The index is written only here: `rebuild()` fills it from the branches, and database triggers on
each table a branch reads (`triggers()`) rewrite the edges of a row when it is inserted, updated
or deleted, in the same statement, whatever wrote the row (ORM, bulk writes, raw SQL). The
triggers are (re)installed after every `migrate`, because SQLite drops a table's triggers when a
migration rebuilds it; `differences()` compares the index with the branches.
"""

from django.db import connection, models, transaction

from .branches import EDGE_COLUMNS, Branch, branches, db_column, db_table, type_id


def edge_table() -> str:
    from .models import Edge

    return db_table(Edge)


def rebuild() -> int:
    """Empty the edge index and fill it from every branch; returns the number of edges."""
    table = edge_table()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        for branch in branches():
            cursor.execute(f"INSERT INTO {table} ({EDGE_COLUMNS}) {branch.select()}")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        cursor.execute(f"ANALYZE {table}")  # the planner must know the index is selective
        return count


def differences(limit: int = 20) -> list[tuple]:
    """Rows in which the edge index and the branches disagree (at most `limit` each way), each
    prefixed with "missing" (in the branches, not in the index) or "extra"; empty when they agree."""
    def counted(rows: str) -> str:  # a multiset: a duplicated edge is a difference too
        return f"SELECT {EDGE_COLUMNS}, COUNT(*) AS n FROM ({rows}) r GROUP BY {EDGE_COLUMNS}"

    computed = counted(" UNION ALL ".join(branch.select() for branch in branches()))
    stored = counted(f"SELECT {EDGE_COLUMNS} FROM {edge_table()}")
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for label, left, right in (("missing", computed, stored), ("extra", stored, computed)):
            cursor.execute(f"SELECT * FROM ({left} EXCEPT {right}) d LIMIT {int(limit)}")
            out += [(label, *row) for row in cursor.fetchall()]
    return out


def _origins() -> dict[type[models.Model], list[Branch]]:
    found: dict[type[models.Model], list[Branch]] = {}
    for branch in branches():
        found.setdefault(branch.origin, []).append(branch)
    return found


def _peered(model: type[models.Model]) -> list[Branch]:
    """The branches whose targets stand for their peers of `model`: a change of its rows
    rewrites the edges of the rows pointing at them or at their peers."""
    return [b for b in branches() if b.peers is not None and b.peers.model is model]


def _rewrite(model: type[models.Model], owned: list[Branch], row: str, insert: bool) -> list[str]:
    """Statements that drop (and with `insert`, write again) the edges recorded by `row`."""
    table, key = edge_table(), f"{row}.{db_column(model, model._meta.pk.name)}"
    done = [f"DELETE FROM {table} WHERE origin_type = {type_id(model)} AND origin_id = {key}"]
    if insert:
        done += [f"INSERT INTO {table} ({EDGE_COLUMNS}) {b.select(f'SELECT {key}')}" for b in owned]
    for peered in _peered(model):
        origins = peered.peers.origins(peered.origin, row)
        done.append(f"DELETE FROM {table} WHERE origin_type = {type_id(peered.origin)} AND origin_id IN ({origins})")
        done += [f"INSERT INTO {table} ({EDGE_COLUMNS}) {b.select(origins)}" for b in _origins()[peered.origin]]
    return done


def _watched(model: type[models.Model], owned: list[Branch]) -> str:
    fields = {model._meta.pk.name, *(f for b in owned for f in b.watch)}
    fields |= {f for b in _peered(model) for f in b.peers.watch}
    return ", ".join(sorted(db_column(model, f) for f in fields))


def triggers() -> list[str]:
    """Statements that (re)create the triggers keeping `systems_edge` current."""
    out = []
    origins = _origins()
    for model in {**origins, **{b.peers.model: [] for b in branches() if b.peers}}:
        owned = origins.get(model, [])
        table, name = db_table(model), f"systems_edge_{model._meta.db_table}"
        watched = _watched(model, owned)
        if connection.vendor == "postgresql":
            out += _postgresql_triggers(model, owned, name, table, watched)
            continue
        for suffix, event, steps in (
            ("i", "INSERT", _rewrite(model, owned, "NEW", True)),
            ("u", f"UPDATE OF {watched}", _rewrite(model, owned, "OLD", False) + _rewrite(model, owned, "NEW", True)),
            ("d", "DELETE", _rewrite(model, owned, "OLD", False)),
        ):
            out += [f"DROP TRIGGER IF EXISTS {name}_{suffix}",
                    f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} BEGIN {'; '.join(steps)}; END"]
    return out


def _postgresql_triggers(model: type[models.Model], owned: list[Branch], name: str, table: str,
                         watched: str) -> list[str]:
    """Inserts and deletes rewrite their rows' edges once per statement, from the statement's
    transition table (a row trigger took 0.24 ms per imported device); an update of a watched
    column, which PostgreSQL cannot pair with a transition table, once per row. A DBMS instance
    also rewrites its peers' edges, per row for every event."""
    def trigger(suffix: str, event: str, body: list[str], per: str = "ROW", referencing: str = "") -> list[str]:
        # Custom plans: a plan cached while the tables were small (a fresh import, before
        # autovacuum analyses them) would scan the whole table on every later call.
        fname = f"{name}{suffix}"
        return [f"CREATE OR REPLACE FUNCTION {fname}() RETURNS trigger LANGUAGE plpgsql "
                f"SET plan_cache_mode = force_custom_plan AS $$ BEGIN {'; '.join(body)}; RETURN NULL; END $$",
                f"CREATE OR REPLACE TRIGGER {fname} AFTER {event} ON {table} {referencing}"
                f"FOR EACH {per} EXECUTE FUNCTION {fname}()"]

    old, new = _rewrite(model, owned, "OLD", False), _rewrite(model, owned, "NEW", True)
    if _peered(model):
        return trigger("", f"INSERT OR DELETE OR UPDATE OF {watched}", [
            f"IF TG_OP <> 'INSERT' THEN {'; '.join(old)}; END IF",
            f"IF TG_OP <> 'DELETE' THEN {'; '.join(new)}; END IF",
        ])
    key, kind = db_column(model, model._meta.pk.name), type_id(model)
    inserted = [f"INSERT INTO {edge_table()} ({EDGE_COLUMNS}) {b.select(f'SELECT {key} FROM new_rows')}"
                for b in owned]
    deleted = [f"DELETE FROM {edge_table()} WHERE origin_type = {kind} "
               f"AND origin_id IN (SELECT {key} FROM old_rows)"]
    return [
        *trigger("", f"UPDATE OF {watched}", old + new),
        *trigger("_ins", "INSERT", inserted, "STATEMENT", "REFERENCING NEW TABLE AS new_rows "),
        *trigger("_del", "DELETE", deleted, "STATEMENT", "REFERENCING OLD TABLE AS old_rows "),
    ]


def install() -> int:
    """(Re)create the triggers and rebuild the index from the branches; returns its size."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in triggers():
            cursor.execute(statement)
        return rebuild()
