"""The branches of the dependency graph, built from the models' declarations.

Every registered model may declare, in its registration, the edges each of its rows records
(`edges=(GraphEdge(…), …)`, see `irtis.core.graph`). Each declaration becomes a `Branch`: a
FROM clause with the SQL expressions of the source and target, read from the columns that
record the edge. The branches are built once per set of declarations and content type ids.
"""

from dataclasses import dataclass
from functools import cache
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils.functional import Promise

from irtis.core import registry
from irtis.core.graph import End, GraphEdge

EDGE_COLUMNS = "origin_type, origin_id, source_type, source_id, target_type, target_id, kind, mode"
Declaration = tuple[type[models.Model], GraphEdge]


@dataclass(frozen=True)
class PeerLink:
    """A branch whose target stands for its peers (`Peers`): a change of a target row (its
    `watch` columns) changes the edges of the origin rows that point at it or at its peers."""

    model: type[models.Model]  # the target's model
    fk: str  # the origin's column naming the target
    same: str  # the target's column its peers share
    watch: tuple[str, ...]

    def origins(self, origin: type[models.Model], row: str) -> str:
        """SQL: ids of the origin rows whose edges depend on the target row `row` (NEW or OLD)."""
        pk, same = db_column(self.model, self.model._meta.pk.name), db_column(self.model, self.same)
        return (f"SELECT b2.{db_column(origin, origin._meta.pk.name)} FROM {db_table(origin)} b2 "
                f"JOIN {db_table(self.model)} o2 ON o2.{pk} = b2.{self.fk} "
                f"WHERE o2.{pk} = {row}.{pk} OR ({row}.{same} <> '' AND o2.{same} = {row}.{same})")


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
    peers: PeerLink | None = None

    def select(self, origin_ids: str = "") -> str:
        """(origin type, origin id, source t/i, target t/i, kind, mode) of the branch's edges,
        only those recorded by the origin rows whose ids `origin_ids` (SQL) lists, if given."""
        terms = [self.where, f"{self.src_i} IS NOT NULL", f"{self.dst_i} IS NOT NULL"]
        if origin_ids:
            terms.append(f"{self.origin_i} IN ({origin_ids})")
        values = (type_id(self.origin), self.origin_i, self.src_t, self.src_i, self.dst_t, self.dst_i, self.kind,
                  self.mode)
        named = ", ".join(f"{v} AS {n}" for v, n in zip(values, EDGE_COLUMNS.split(", "), strict=True))
        return f"SELECT {named} FROM {self.from_} WHERE {' AND '.join(terms)}"


@dataclass(frozen=True)
class Need:
    """A group's source model and its column holding how many members must run."""

    model: type[models.Model]
    column: str


def type_id(model: type[models.Model]) -> int:
    return ContentType.objects.get_for_model(model).id


def db_table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def db_column(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(cast(models.Field, model._meta.get_field(field)).column)  # a column


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def declarations() -> tuple[Declaration, ...]:
    """Every registered model's edge declarations."""
    return tuple((entry.model, edge) for entry in registry.entries() for edge in entry.edges)


def _many(model: type[models.Model], end: End) -> models.ManyToManyField | None:
    if isinstance(end, str) and end:
        field = model._meta.get_field(end)
        return cast(models.ManyToManyField, field) if field.many_to_many else None
    return None


def _models(found: tuple[Declaration, ...]) -> list[type[models.Model]]:
    """Every model whose content type id the branches' SQL holds."""
    out: dict[type[models.Model], None] = {}
    for model, edge in found:
        out[model] = None
        for end in (edge.source, edge.target):
            if isinstance(end, str) and end:
                field = model._meta.get_field(end)
                out[cast(type[models.Model], field.related_model)] = None  # resolved once the apps are loaded
                if (many := _many(model, end)) is not None:
                    out[cast(type[models.Model], many.remote_field.through)] = None
    return list(out)


def type_ids() -> tuple[tuple[str, int], ...]:
    """Content type ids of the models that carry declared edges (cached by Django, no query)."""
    return tuple((m._meta.label_lower, type_id(m)) for m in _models(declarations()))


def branches() -> tuple[Branch, ...]:
    return _branches(declarations(), type_ids())


def needs() -> tuple[Need, ...]:
    """The groups whose sources say how many members must run (`GraphEdge.need`)."""
    return tuple(Need(cast(type[models.Model], model._meta.get_field(cast(str, edge.source)).related_model), edge.need)
                 for model, edge in declarations() if edge.need)  # a group's source: a foreign key


def kind_labels() -> dict[str, str | Promise]:
    """Each edge kind's label: declared with the kind, or from the choices of the kind's column."""
    labels: dict[str, str | Promise] = {}
    for model, edge in declarations():
        if isinstance(edge.kind, str):
            labels.setdefault(edge.kind, edge.label)
        else:
            labels.update({k: v for k, v in cast(models.Field, model._meta.get_field(edge.kind.name)).flatchoices})
    return labels


@cache
def _branches(found: tuple[Declaration, ...], ids: tuple[tuple[str, int], ...]) -> tuple[Branch, ...]:
    return tuple(_branch(model, edge) for model, edge in found)


def _branch(model: type[models.Model], edge: GraphEdge) -> Branch:
    """The branch of one declaration: over the model's table, or over the through table of a
    many-to-many end (each of its rows records one edge)."""
    many = _many(model, edge.source) or _many(model, edge.target)
    if many is not None:
        if edge.hard_if or edge.unless or edge.peers or not isinstance(edge.kind, str):
            raise ImproperlyConfigured(f"{model.__name__}: a many-to-many edge reads its through table only")
        origin = cast(type[models.Model], many.remote_field.through)  # resolved once the apps are loaded
        mine, theirs = many.m2m_field_name(), many.m2m_reverse_field_name()
        related = cast(type[models.Model], many.related_model)  # resolved once the apps are loaded
        ends: dict[End, tuple[str, str]] = {"": (str(type_id(model)), f"t.{db_column(origin, mine)}"),
                                            many.name: (str(type_id(related)), f"t.{db_column(origin, theirs)}")}
        watch = {mine, theirs}
    else:
        origin, ends, watch = model, {}, set()
        ends[""] = (str(type_id(model)), f"t.{db_column(model, model._meta.pk.name)}")
        for end in (edge.source, edge.target):
            if isinstance(end, tuple):
                ends[end] = (f"t.{db_column(model, end[0])}", f"t.{db_column(model, end[1])}")
                watch |= set(end)
            elif end:
                related = cast(type[models.Model], model._meta.get_field(end).related_model)  # resolved at load
                ends[end] = (str(type_id(related)), f"t.{db_column(model, end)}")
                watch.add(end)
    (src_t, src_i), (dst_t, dst_i) = ends[edge.source], ends[edge.target]
    if isinstance(edge.kind, str):
        kind = _literal(edge.kind)
    else:
        kind = f"t.{db_column(model, edge.kind.name)}"
        watch.add(edge.kind.name)
    mode = _literal(edge.mode)
    if edge.hard_if:
        field, value = edge.hard_if
        mode = f"CASE WHEN t.{db_column(model, field)} = {_literal(value)} THEN 'hard' ELSE 'soft' END"
        watch.add(field)
    where = "1 = 1"
    if edge.unless:
        where = f"t.{db_column(model, edge.unless)} IS NULL"
        watch.add(edge.unless)
    from_, peers = f"{db_table(origin)} t", None
    if edge.peers:
        from_, dst_i, peers = _peered(model, edge, dst_i)
    return Branch(from_, origin, f"t.{db_column(origin, origin._meta.pk.name)}", src_t, src_i, dst_t, dst_i, kind, mode,
                  tuple(sorted(watch)), where, peers)


def _peered(model: type[models.Model], edge: GraphEdge, target: str) -> tuple[str, str, PeerLink]:
    """The FROM clause, target id and peer link of an edge whose target stands for its peers:
    the target row o, and every row p of its model that is o or shares o's group."""
    assert edge.peers is not None and isinstance(edge.target, str)
    rule = edge.peers
    other = cast(type[models.Model], model._meta.get_field(edge.target).related_model)  # resolved at load
    pk, same = db_column(other, other._meta.pk.name), db_column(other, rule.same)
    peers = f"o.{same} <> '' AND p.{same} = o.{same}"
    watch: tuple[str, ...] = (rule.same,)
    if rule.field:
        column, value = db_column(other, rule.field), _literal(rule.value)
        peers = f"o.{column} = {value} AND p.{column} = {value} AND {peers}"
        watch = (rule.field, rule.same)
    from_ = (f"{db_table(model)} t JOIN {db_table(other)} o ON o.{pk} = {target} "
             f"JOIN {db_table(other)} p ON (p.{pk} = o.{pk} OR ({peers}))")
    return from_, f"p.{pk}", PeerLink(other, db_column(model, edge.target), rule.same, watch)
