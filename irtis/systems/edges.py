"""The edges of the dependency graph as SQL: explicit `Dependency` rows plus the edges implied
by real foreign-key columns (a virtual machine runs on its cluster, a cluster on its hosts …).

Nothing is copied: every edge is read from the column that records it. An edge runs from the
object that depends to the object it depends on, and has a mode:

- `hard`: the target's failure stops the source;
- `soft`: the target's failure only degrades the source;
- `group`: the source has a redundant group of targets and keeps running while at least
  `need` of them run (a cluster's hosts, a component's deployments, a RAC database's nodes).

Each edge type is a `Branch`: a FROM clause with the SQL expressions of the source and target.
Walks use the branches one by one, each joined to the walk's current rows on an indexed column,
so the database never materialises the whole edge set (see `graph.py` for the walks).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

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
    """One kind of edge. Expressions are SQL over `from_`; `src_t`/`dst_t` are content type ids
    (an int for implied edges, a column for explicit ones)."""

    from_: str
    src_t: str
    src_i: str
    dst_t: str
    dst_i: str
    kind: str  # an SQL expression
    mode: str  # "hard", "soft", "group" or "dynamic" (hard where `hard_when`, else soft)
    where: str = "1 = 1"
    hard_when: str = ""
    need: str = "1"  # group edges: how many targets must survive
    total: str = ""  # group edges: how many targets the group has

    @property
    def can_stop(self) -> bool:
        return self.mode in {"hard", "dynamic"}

    def hard_filter(self) -> str:
        return self.hard_when if self.mode == "dynamic" else "1 = 1"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


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
           mode: str = "hard", **extra: str) -> None:
        column = f"{alias}.{_col(model, field)}"
        out.append(Branch(
            f"{_table(model)} {alias}", t[src], f"{alias}.{_col(model, 'id')}", t[dst], column,
            f"'{kind}'", mode, where=f"{column} IS NOT NULL", **extra,
        ))

    x = "x"
    out.append(Branch(
        f"{_table(Dependency)} {x}", f"{x}.{_col(Dependency, 'source_type')}", f"{x}.{_col(Dependency, 'source_id')}",
        f"{x}.{_col(Dependency, 'target_type')}", f"{x}.{_col(Dependency, 'target_id')}",
        f"{x}.{_col(Dependency, 'kind')}", "dynamic", hard_when=f"{x}.{_col(Dependency, 'effect')} = 'stops'",
    ))
    fk(VirtualMachine, "v", "virtualmachine", "cluster", "cluster", "runs_on")
    h, hc = _table(ClusterHost), _col(ClusterHost, "cluster")
    out.append(Branch(
        f"{h} h", t["cluster"], f"h.{hc}", t["device"], f"h.{_col(ClusterHost, 'device')}", "'runs_on'", "group",
        total=f"(SELECT COUNT(*) FROM {h} h2 WHERE h2.{hc} = h.{hc})",
    ))
    fk(Device, "d", "device", "rack", "rack", "located_in")
    out.append(Branch(
        f"{_table(Device)} d", t["device"], f"d.{_col(Device, 'id')}", t["site"], f"d.{_col(Device, 'site')}",
        "'located_in'", "hard", where=f"d.{_col(Device, 'rack')} IS NULL",
    ))
    fk(Rack, "k", "rack", "site", "site", "located_in")
    fk(DBMSInstance, "m", "dbmsinstance", "device", "device", "runs_on")
    fk(DBMSInstance, "m", "dbmsinstance", "virtual_machine", "virtualmachine", "runs_on")
    # A database lives on its instance; on an Oracle RAC, on any node of the instance's cluster.
    dbt, it = _table(Database), _table(DBMSInstance)
    role, cname, iid = _col(DBMSInstance, "role"), _col(DBMSInstance, "cluster_name"), _col(DBMSInstance, "id")
    peers = (f"(p.{iid} = o.{iid} OR (o.{role} = 'rac_node' AND p.{role} = 'rac_node' "
             f"AND o.{cname} <> '' AND p.{cname} = o.{cname}))")
    out.append(Branch(
        f"{dbt} b JOIN {it} o ON o.{iid} = b.{_col(Database, 'instance')} JOIN {it} p ON {peers}",
        t["database"], f"b.{_col(Database, 'id')}", t["dbmsinstance"], f"p.{iid}", "'hosted_by'", "group",
        total=f"(SELECT COUNT(*) FROM {it} p WHERE {peers})",
    ))
    fk(IPAddress, "a", "ipaddress", "interface", "interface", "assigned_to")
    fk(Interface, "f", "interface", "device", "device", "part_of")
    fk(Circuit, "c", "circuit", "site_a", "site", "terminates_at")
    fk(Circuit, "c", "circuit", "site_b", "site", "terminates_at")
    for field, target in (("virtual_machine", "virtualmachine"), ("device", "device"),
                          ("dbms_instance", "dbmsinstance"), ("database", "database")):
        fk(Deployment, "e", "deployment", field, target, "deployed_on")
    dt, dcomp = _table(Deployment), _col(Deployment, "component")
    out.append(Branch(
        f"{dt} e JOIN {_table(Component)} n ON n.{_col(Component, 'id')} = e.{dcomp}",
        t["component"], f"e.{dcomp}", t["deployment"], f"e.{_col(Deployment, 'id')}", "'has_instance'", "group",
        need=f"n.{_col(Component, 'required_instances')}",
        total=f"(SELECT COUNT(*) FROM {dt} e2 WHERE e2.{dcomp} = e.{dcomp})",
    ))
    out.append(Branch(  # only production components can stop a system
        f"{_table(Component)} n", t["informationsystem"], f"n.{_col(Component, 'system')}", t["component"],
        f"n.{_col(Component, 'id')}", "'consists_of'", "dynamic",
        hard_when=f"n.{_col(Component, 'environment')} = 'production'",
    ))
    fk(Interconnection, "l", "interconnection", "gateway_device", "device", "connects_through")
    fk(Interconnection, "l", "interconnection", "gateway_vm", "virtualmachine", "connects_through")
    fk(Interconnection, "l", "interconnection", "eu_system", "eusystem", "connects_to")
    lt = _table(Interconnection)
    out.append(Branch(
        f"{lt} l", t["informationsystem"], f"l.{_col(Interconnection, 'system')}", t["interconnection"],
        f"l.{_col(Interconnection, 'id')}", "'exchanges_via'", "soft",
    ))
    ct = _table(Certificate)
    out.append(Branch(
        f"{ct} s", t["interconnection"], f"s.{_col(Certificate, 'interconnection')}", t["certificate"],
        f"s.{_col(Certificate, 'id')}", "'authenticates_via'", "hard",
        where=f"s.{_col(Certificate, 'interconnection')} IS NOT NULL",
    ))
    return tuple(out)


def select(branch: Branch, direction: str, rec: str | None, extra: Iterable[str] = (), hard_only: bool = False,
           columns: str = "") -> str:
    """SELECT of one branch's neighbours of the rows of `rec` (alias r, columns t and i).

    `direction` "down" gives the targets of sources in r; "up" the sources of targets in r.
    `columns` are appended to the select list (after t and i); `extra` are more WHERE terms.
    With `rec` None, r is not joined here: it is an outer (LATERAL) reference.
    """
    near_t, near_i, far_t, far_i = (
        (branch.src_t, branch.src_i, branch.dst_t, branch.dst_i) if direction == "down"
        else (branch.dst_t, branch.dst_i, branch.src_t, branch.src_i)
    )
    terms = [f"r.t = {near_t}", f"{near_i} = r.i", branch.where, f"{far_i} IS NOT NULL"]
    names = {"t": far_t, "i": far_i, "near_i": near_i, "need": branch.need, "total": branch.total or "0"}
    terms += [term.format(**names) for term in extra]
    if hard_only:
        terms.append(branch.hard_filter())
    more = f", {columns.format(**names)}" if columns else ""
    source = f"{rec} r, {branch.from_}" if rec else branch.from_
    return (f"SELECT CAST({far_t} AS INTEGER) AS t, CAST({far_i} AS BIGINT) AS i{more} "
            f"FROM {source} WHERE {' AND '.join(terms)}")
