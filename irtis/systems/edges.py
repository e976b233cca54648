"""The edges of the dependency graph: explicit `Dependency` rows plus the edges implied by real
foreign-key columns (a virtual machine runs on its cluster, a cluster on its hosts …).

An edge runs from the object that depends to the object it depends on, and has a mode:

- `hard`: the target's failure stops the source;
- `soft`: the target's failure only degrades the source;
- `group`: the source has a redundant group of targets and keeps running while at least
  `need` of them run (a cluster's hosts, a component's deployments, a RAC database's nodes).

Each edge type is a `Branch`: a FROM clause with the SQL expressions of the source and target,
read from the column that records it. The walks do not read the branches: they read
`systems_edge` (`models.Edge`), a derived index holding every branch's rows, so one recursion
step is one index probe instead of one probe per branch (25; see docs/architecture.md).
The index is written only here: `rebuild()` fills it from the branches, and database triggers on
each table a branch reads (`triggers()`) rewrite the edges of a row when it is inserted, updated
or deleted, in the same statement, whatever wrote the row (ORM, bulk writes, raw SQL). The
triggers are (re)installed after every `migrate`, because SQLite drops a table's triggers when a
migration rebuilds it; `differences()` compares the index with the branches.
"""

from dataclasses import dataclass
from functools import cache
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

EDGE_COLUMNS = "origin_type, origin_id, source_type, source_id, target_type, target_id, kind, mode"
KIND_LABELS = {
    "runs_on": _("runs on"),
    "stores_data_in": _("stores data in"),
    "connects_through": _("connects through"),
    "authenticates_via": _("authenticates via"),
    "backed_up_by": _("backed up by"),
    "powered_by": _("powered by"),
    "replicates_to": _("replicates to"),
    "depends_on": _("depends on"),
    "located_in": _("located in"),
    "hosted_by": _("hosted by"),
    "assigned_to": _("assigned to"),
    "part_of": _("part of"),
    "terminates_at": _("terminates at"),
    "deployed_on": _("deployed on"),
    "consists_of": _("consists of"),
    "has_instance": _("has instance"),
    "connects_to": _("connects to"),
    "exchanges_via": _("exchanges data via"),
}


@dataclass(frozen=True)
class Branch:
    """One kind of edge. Expressions are SQL over `from_`, whose row `origin_i` (of the model
    `origin`) records the edge: the index keeps (origin, edge) so a trigger on that model can
    rewrite a row's edges. `watch` are the origin's columns the edge reads."""

    from_: str
    origin: type[models.Model]
    origin_i: str
    src_t: str
    src_i: str
    dst_t: str
    dst_i: str
    kind: str  # an SQL expression
    mode: str  # an SQL expression: 'hard', 'soft' or 'group'
    watch: tuple[str, ...]
    where: str = "1 = 1"

    def select(self, origin_ids: str = "") -> str:
        """(origin type, origin id, source t/i, target t/i, kind, mode) of the branch's edges,
        only those recorded by the origin rows whose ids `origin_ids` (SQL) lists, if given."""
        terms = [self.where, f"{self.src_i} IS NOT NULL", f"{self.dst_i} IS NOT NULL"]
        if origin_ids:
            terms.append(f"{self.origin_i} IN ({origin_ids})")
        values = (_type_id(self.origin), self.origin_i, self.src_t, self.src_i, self.dst_t, self.dst_i, self.kind,
                  self.mode)
        named = ", ".join(f"{v} AS {n}" for v, n in zip(values, EDGE_COLUMNS.split(", "), strict=True))
        return f"SELECT {named} FROM {self.from_} WHERE {' AND '.join(terms)}"


def _type_id(model: type[models.Model]) -> int:
    return ContentType.objects.get_for_model(model).id


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(cast(models.Field, model._meta.get_field(field)).column)


def type_ids() -> tuple[tuple[str, int], ...]:
    """Content type ids of the models that carry implied edges (cached by Django, no query)."""
    return tuple((m._meta.label_lower, ContentType.objects.get_for_model(m).id) for m in _models())


def _models() -> list[type[models.Model]]:
    from irtis.databases.models import Database, DBMSInstance
    from irtis.inventory.models import Device, Interface, Rack, Site
    from irtis.network.models import Circuit, IPAddress
    from irtis.virtualization.models import Cluster, VirtualMachine

    from .models import (
        Certificate,
        Component,
        Deployment,
        EUSystem,
        InformationSystem,
        Interconnection,
    )

    return [Site, Rack, Device, Interface, IPAddress, Circuit, Cluster, VirtualMachine, DBMSInstance,
            Database, InformationSystem, Component, Deployment, EUSystem, Interconnection, Certificate]


def branches() -> tuple[Branch, ...]:
    return _branches(type_ids())


@cache
def _branches(ids: tuple[tuple[str, int], ...]) -> tuple[Branch, ...]:
    from irtis.databases.models import Database, DBMSInstance
    from irtis.inventory.models import Device, Interface, Rack
    from irtis.network.models import Circuit, IPAddress
    from irtis.virtualization.models import ClusterHost, VirtualMachine

    from .models import Certificate, Component, Dependency, Deployment, Interconnection

    t = {label.split(".")[1]: str(type_id) for label, type_id in ids}
    out: list[Branch] = []

    def fk(model: type[models.Model], alias: str, src: str, field: str, dst: str, kind: str,
           mode: str = "hard") -> None:
        column = f"{alias}.{_col(model, field)}"
        key = f"{alias}.{_col(model, 'id')}"
        out.append(Branch(
            f"{_table(model)} {alias}", model, key, t[src], key, t[dst], column, f"'{kind}'", f"'{mode}'",
            (field,), where=f"{column} IS NOT NULL",
        ))

    x = "x"
    out.append(Branch(
        f"{_table(Dependency)} {x}", Dependency, f"{x}.{_col(Dependency, 'id')}",
        f"{x}.{_col(Dependency, 'source_type')}", f"{x}.{_col(Dependency, 'source_id')}",
        f"{x}.{_col(Dependency, 'target_type')}", f"{x}.{_col(Dependency, 'target_id')}",
        f"{x}.{_col(Dependency, 'kind')}",
        f"CASE WHEN {x}.{_col(Dependency, 'effect')} = 'stops' THEN 'hard' ELSE 'soft' END",
        ("source_type", "source_id", "kind", "effect", "target_type", "target_id"),
    ))
    fk(VirtualMachine, "v", "virtualmachine", "cluster", "cluster", "runs_on")
    out.append(Branch(
        f"{_table(ClusterHost)} h", ClusterHost, f"h.{_col(ClusterHost, 'id')}", t["cluster"],
        f"h.{_col(ClusterHost, 'cluster')}", t["device"], f"h.{_col(ClusterHost, 'device')}", "'runs_on'", "'group'",
        ("cluster", "device"),
    ))
    fk(Device, "d", "device", "rack", "rack", "located_in")
    d_id = f"d.{_col(Device, 'id')}"
    out.append(Branch(
        f"{_table(Device)} d", Device, d_id, t["device"], d_id, t["site"], f"d.{_col(Device, 'site')}",
        "'located_in'", "'hard'", ("rack", "site"), where=f"d.{_col(Device, 'rack')} IS NULL",
    ))
    fk(Rack, "k", "rack", "site", "site", "located_in")
    fk(DBMSInstance, "m", "dbmsinstance", "device", "device", "runs_on")
    fk(DBMSInstance, "m", "dbmsinstance", "virtual_machine", "virtualmachine", "runs_on")
    # A database lives on its instance; on an Oracle RAC, on any node of the instance's cluster
    # (the instance's trigger rewrites the edges of the databases of its cluster: `peer_databases`).
    dbt, it = _table(Database), _table(DBMSInstance)
    role, cname, iid = _col(DBMSInstance, "role"), _col(DBMSInstance, "cluster_name"), _col(DBMSInstance, "id")
    peers = (f"(p.{iid} = o.{iid} OR (o.{role} = 'rac_node' AND p.{role} = 'rac_node' "
             f"AND o.{cname} <> '' AND p.{cname} = o.{cname}))")
    b_id = f"b.{_col(Database, 'id')}"
    out.append(Branch(
        f"{dbt} b JOIN {it} o ON o.{iid} = b.{_col(Database, 'instance')} JOIN {it} p ON {peers}", Database, b_id,
        t["database"], b_id, t["dbmsinstance"], f"p.{iid}", "'hosted_by'", "'group'", ("instance",),
    ))
    fk(IPAddress, "a", "ipaddress", "interface", "interface", "assigned_to")
    fk(Interface, "f", "interface", "device", "device", "part_of")
    fk(Circuit, "c", "circuit", "site_a", "site", "terminates_at")
    fk(Circuit, "c", "circuit", "site_b", "site", "terminates_at")
    for field, target in (("virtual_machine", "virtualmachine"), ("device", "device"),
                          ("dbms_instance", "dbmsinstance"), ("database", "database")):
        fk(Deployment, "e", "deployment", field, target, "deployed_on")
    e_id = f"e.{_col(Deployment, 'id')}"
    out.append(Branch(  # how many must run is the component's `required_instances`, read by the walks
        f"{_table(Deployment)} e", Deployment, e_id, t["component"], f"e.{_col(Deployment, 'component')}",
        t["deployment"], e_id, "'has_instance'", "'group'", ("component",),
    ))
    n_id = f"n.{_col(Component, 'id')}"
    out.append(Branch(  # only production components can stop a system
        f"{_table(Component)} n", Component, n_id, t["informationsystem"], f"n.{_col(Component, 'system')}",
        t["component"], n_id, "'consists_of'",
        f"CASE WHEN n.{_col(Component, 'environment')} = 'production' THEN 'hard' ELSE 'soft' END",
        ("system", "environment"),
    ))
    fk(Interconnection, "l", "interconnection", "gateway_device", "device", "connects_through")
    fk(Interconnection, "l", "interconnection", "gateway_vm", "virtualmachine", "connects_through")
    fk(Interconnection, "l", "interconnection", "eu_system", "eusystem", "connects_to")
    l_id = f"l.{_col(Interconnection, 'id')}"
    out.append(Branch(
        f"{_table(Interconnection)} l", Interconnection, l_id, t["informationsystem"],
        f"l.{_col(Interconnection, 'system')}", t["interconnection"], l_id, "'exchanges_via'", "'soft'", ("system",),
    ))
    s_id = f"s.{_col(Certificate, 'id')}"
    out.append(Branch(
        f"{_table(Certificate)} s", Certificate, s_id,
        t["interconnection"], f"s.{_col(Certificate, 'interconnection')}", t["certificate"], s_id,
        "'authenticates_via'", "'hard'", ("interconnection",),
    ))
    return tuple(out)


def peer_databases(row: str) -> str:
    """SQL: ids of the databases whose RAC edges depend on the DBMS instance `row` (NEW or OLD)."""
    from irtis.databases.models import Database, DBMSInstance

    iid, cname = _col(DBMSInstance, "id"), _col(DBMSInstance, "cluster_name")
    return (f"SELECT b2.{_col(Database, 'id')} FROM {_table(Database)} b2 JOIN {_table(DBMSInstance)} o2 "
            f"ON o2.{iid} = b2.{_col(Database, 'instance')} "
            f"WHERE o2.{iid} = {row}.{iid} OR ({row}.{cname} <> '' AND o2.{cname} = {row}.{cname})")


def edge_table() -> str:
    from .models import Edge

    return _table(Edge)


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


def _rewrite(model: type[models.Model], owned: list[Branch], row: str, insert: bool) -> list[str]:
    """Statements that drop (and with `insert`, write again) the edges recorded by `row`."""
    from irtis.databases.models import Database, DBMSInstance

    table, key = edge_table(), f"{row}.{_col(model, 'id')}"
    done = [f"DELETE FROM {table} WHERE origin_type = {_type_id(model)} AND origin_id = {key}"]
    if insert:
        done += [f"INSERT INTO {table} ({EDGE_COLUMNS}) {b.select(f'SELECT {key}')}" for b in owned]
    if model is DBMSInstance:
        databases = peer_databases(row)
        done.append(f"DELETE FROM {table} WHERE origin_type = {_type_id(Database)} AND origin_id IN ({databases})")
        done += [f"INSERT INTO {table} ({EDGE_COLUMNS}) {b.select(databases)}" for b in _origins()[Database]]
    return done


def _watched(model: type[models.Model], owned: list[Branch]) -> str:
    from irtis.databases.models import DBMSInstance

    fields = {"id", *(f for b in owned for f in b.watch)}
    if model is DBMSInstance:
        fields |= {"role", "cluster_name"}
    return ", ".join(sorted(_col(model, f) for f in fields))


def triggers() -> list[str]:
    """Statements that (re)create the triggers keeping `systems_edge` current."""
    out = []
    for model, owned in _origins().items():
        table, name = _table(model), f"systems_edge_{model._meta.db_table}"
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
    from irtis.databases.models import DBMSInstance

    def trigger(suffix: str, event: str, body: list[str], per: str = "ROW", referencing: str = "") -> list[str]:
        # Custom plans: a plan cached while the tables were small (a fresh import, before
        # autovacuum analyses them) would scan the whole table on every later call.
        fname = f"{name}{suffix}"
        return [f"CREATE OR REPLACE FUNCTION {fname}() RETURNS trigger LANGUAGE plpgsql "
                f"SET plan_cache_mode = force_custom_plan AS $$ BEGIN {'; '.join(body)}; RETURN NULL; END $$",
                f"CREATE OR REPLACE TRIGGER {fname} AFTER {event} ON {table} {referencing}"
                f"FOR EACH {per} EXECUTE FUNCTION {fname}()"]

    old, new = _rewrite(model, owned, "OLD", False), _rewrite(model, owned, "NEW", True)
    if model is DBMSInstance:
        return trigger("", f"INSERT OR DELETE OR UPDATE OF {watched}", [
            f"IF TG_OP <> 'INSERT' THEN {'; '.join(old)}; END IF",
            f"IF TG_OP <> 'DELETE' THEN {'; '.join(new)}; END IF",
        ])
    key, kind = _col(model, "id"), _type_id(model)
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
