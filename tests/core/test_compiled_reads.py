"""API reads run the statement compiled for the first read of their shape (`core.compiled.
Statements`), with each read's WHERE values: the same answers as the ORM compiling each read,
for every filter shape, user and permission."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Value
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

from irtis.core.compiled import Statements
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission
from irtis.inventory.models import Device, Site
from tests.inventory import factories as f

pytestmark = pytest.mark.django_db
DEVICES = "/api/inventory/devices/"


@pytest.fixture
def world() -> dict[str, Any]:
    sites = [f.site("DC1"), f.site("DC2")]
    roles = [f.role("Serveris"), f.role("Komutatorius")]
    devices = [f.device(f"dev-{i:02d}", site=sites[i % 2], role=roles[i // 3 % 2], status="active" if i % 5 else
                        "planned") for i in range(14)]
    return {"sites": [s.pk for s in sites], "roles": [r.pk for r in roles], "devices": [d.pk for d in devices]}


def client(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {tokens.issue(user)[1]}"})


@contextmanager
def compiled_models() -> Iterator[list[Any]]:
    """The models of the reads' statements (values and counts) Django compiles meanwhile: not a
    subquery of their WHERE (a permission's constraints), not a query of objects."""
    models: list[Any] = []
    original = SQLCompiler.as_sql

    def noted(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        if (self.query.values_select or "__count" in self.query.annotations) and not self.query.subquery:
            models.append(self.query.model)
        return original(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", noted):
        yield models


def by_orm(reader: Client, path: str) -> Any:
    """The answer with no statement kept: Django compiles the read's queries."""
    with mock.patch.object(Statements, "keep", lambda *args: None):
        response = reader.get(path)
    assert response.status_code == 200, response.content
    return response.json()


# Each: a read that keeps its statement, then one of the same shape with other values.
SHAPES = [
    ("?limit=5&offset=5", "?limit=5&offset=5"),  # no WHERE: one statement per page
    ("?site={s0}&limit=3", "?site={s1}&limit=3"),
    ("?site={s0}&role={r0}&limit=2", "?site={s1}&role={r1}&limit=2"),
    ("?site={s0}&site={s1}&limit=4", "?site={s1}&site={s0}&limit=4"),
    ("?status=planned&ordering=-name&limit=2", "?status=active&ordering=-name&limit=2"),
    ("?role={r1}&brief=true&limit=3", "?role={r0}&brief=true&limit=3"),
    ("?q=dev-01", "?q=dev-1"),
    ("{d0}/", "{d5}/"),
]


@pytest.mark.parametrize(("first", "second"), SHAPES)
def test_a_kept_statement_answers_another_read_of_its_shape_as_the_orm(world: dict[str, Any], first: str,
                                                                       second: str) -> None:
    names = {"s0": world["sites"][0], "s1": world["sites"][1], "r0": world["roles"][0], "r1": world["roles"][1],
             "d0": world["devices"][0], "d5": world["devices"][5]}
    first, second = DEVICES + first.format(**names), DEVICES + second.format(**names)
    reader = client(get_user_model().objects.create_superuser("root"))
    expected = by_orm(reader, second)
    assert reader.get(first).status_code == 200
    with compiled_models() as models:
        answer = reader.get(second)
    assert answer.json() == expected
    if "q=" not in first:  # the search's ids are the query's parameters: a shape per number of matches
        assert Device not in models
    if "results" in expected:
        assert expected["results"] and expected["count"] > 0


def test_each_users_constraints_apply_to_the_kept_statement(world: dict[str, Any]) -> None:
    devices = ContentType.objects.get_for_model(Device)
    readers = []
    for site in world["sites"]:
        user = get_user_model().objects.create_user(f"reader-{site}")
        permission = ObjectPermission.objects.create(name=f"devices at {site}", actions=["view"],
                                                     constraints={"site": site})
        permission.users.add(user)
        permission.object_types.add(devices)
        readers.append((client(user), permission))
    seen = []
    for reader, _ in readers:
        rows = reader.get(f"{DEVICES}?limit=3").json()
        seen.append((rows["count"], {row["site"] for row in rows["results"]}))
    assert seen == [(7, {world["sites"][0]}), (7, {world["sites"][1]})]
    (first, permission), _ = readers
    other_site = world["devices"][1]  # at the second site
    assert first.get(f"{DEVICES}{other_site}/").status_code == 404
    permission.constraints = {"site": world["sites"][1]}
    permission.save()
    with compiled_models() as models:
        assert first.get(f"{DEVICES}{other_site}/").status_code == 200
        rows = first.get(f"{DEVICES}?limit=3").json()
    assert Device not in models
    assert rows["count"] == 7 and {row["site"] for row in rows["results"]} == {world["sites"][1]}
    permission.delete()
    assert first.get(f"{DEVICES}?limit=3").status_code == 403


def test_a_statement_with_parameters_outside_its_where_or_many_is_not_kept(world: dict[str, Any]) -> None:
    statements = Statements()
    site = world["sites"][0]
    marked = Device.objects.filter(site=site).annotate(mark=Value("x")).values("name", "mark").order_by("name")
    sql, params = statements.select(marked, "marked")
    assert list(params) == ["x", site] or list(params) == [site, "x"]
    assert list(statements.known.values()) == [None]
    assert statements.select(marked, "marked") == (sql, params)
    plain = Device.objects.filter(site=site).values("name").order_by("name")
    statements.select(plain, "plain")
    assert statements.count(plain, "plain") == 7
    other = Device.objects.filter(site=world["sites"][1], status="planned").values("name")
    assert statements.count(other, "plain") == Device.objects.filter(site=world["sites"][1], status="planned").count()
    assert sum(1 for sql in statements.known.values() if sql) == 3  # select, and two shapes of count
    kept = dict(statements.known)
    ids = [*world["devices"], *range(10**6, 10**6 + Statements.MANY)]
    listed = Device.objects.filter(pk__in=ids).values("name")  # a shape per number of ids: not kept
    assert len(statements.select(listed, "listed")[1]) > Statements.MANY
    assert statements.count(listed, "listed") == 14 and statements.known == kept


def test_the_oldest_shapes_are_forgotten(world: dict[str, Any]) -> None:
    statements = Statements(size=2)
    for pk in world["sites"]:
        statements.select(Site.objects.filter(pk=pk).values("code"), ("site", pk))
    statements.select(Site.objects.filter(code="DC1").values("code"), "by code")
    assert [key[1] for key in statements.known] == [("site", world["sites"][1]), "by code"]


def test_two_relations_to_one_table_are_two_shapes() -> None:
    """Filters through a circuit's A and B sites join the same table under the same alias, with
    the same WHERE text: each must still run its own join."""
    from irtis.network.models import Circuit

    statements = Statements()
    for field in ("site_a", "site_b", "site_a"):
        queryset = Circuit.objects.filter(**{f"{field}__code": "DC1"}).values("pk")
        sql, params = statements.select(queryset, "list")
        assert (sql, tuple(params)) == tuple(queryset.query.get_compiler(using=queryset.db).as_sql()), field
