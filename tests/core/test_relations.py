"""Many-to-many writes through a join model, and the reverse relations on detail pages."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from irtis.audit.models import AuditEntry
from irtis.core import relations
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Site
from irtis.systems.models import InformationSystem, SystemSite

pytestmark = pytest.mark.django_db
SITES = InformationSystem._meta.get_field("sites")


def posts(n: int) -> list[Site]:
    return [Site.objects.create(code=f"P{i:02}", name=f"Postas {i}", kind="road_bcp") for i in range(n)]


def systems(n: int, start: int = 0) -> list[InformationSystem]:
    return [InformationSystem.objects.create(code=f"S{i:02}", name=f"Sistema {i}") for i in range(start, n)]


def entries(model: type, pk: int) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(model)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=pk).order_by("id"))


def test_rows_of_a_join_model_are_written_like_objects(admin_client: Client) -> None:
    system, (med, sal) = systems(1)[0], posts(2)
    response = admin_client.patch(f"/api/systems/information-systems/{system.pk}/", {"sites": [med.pk, sal.pk]},
                                  content_type="application/json")
    assert response.status_code == 200, response.content
    row = SystemSite.objects.get(system=system, site=med)
    assert (row.workstations, row.fallback_procedure, row.version) == (None, False, 1)  # the join model's defaults
    assert [e.action for e in entries(SystemSite, row.pk)] == ["create"]
    assert entries(InformationSystem, system.pk)[-1].after == {"sites": sorted([med.pk, sal.pk])}
    assert admin_client.get("/api/systems/system-sites/", {"site": med.pk}).json()["count"] == 1
    admin_client.patch(f"/api/systems/information-systems/{system.pk}/", {"sites": [sal.pk]},
                       content_type="application/json")
    assert [e.action for e in entries(SystemSite, row.pk)] == ["create", "delete"]
    assert list(system.sites.all()) == [sal]


def test_import_names_unknown_and_repeated_keys(admin_client: Client) -> None:
    systems(1)
    posts(1)
    text = 'code,name,sites\nS00,Sistema 0,"P00; NOPE"\n'
    response = admin_client.post("/systems/information-systems/import/", {"text": text, "format": "csv"})
    assert response.status_code == 400
    assert any("NOPE" in e["message"] and e["column"] == "sites" for e in response.context["result"]["errors"])
    text = 'code,name,sites\nS00,Sistema 0,"P00; P00"\n'
    response = admin_client.post("/systems/information-systems/import/", {"text": text, "format": "csv"})
    assert any("P00" in e["message"] for e in response.context["result"]["errors"])


def test_an_import_skipping_every_row_writes_nothing(admin_client: Client) -> None:
    posts(1)
    data = '[{"code": "S00", "name": "", "sites": "P00"}]'  # the sites cell is valid, the row is not
    response = admin_client.post("/systems/information-systems/import/",
                                 {"text": data, "format": "json", "confirm": "1", "skip_invalid": "1"})
    assert response.status_code == 302
    assert not InformationSystem.objects.exists()


def test_the_detail_page_counts_reverse_relations_and_loads_each_on_demand(
    admin_client: Client, django_assert_max_num_queries: Any,
) -> None:
    site = posts(1)[0]
    few = systems(2)
    relations.assign(few, SITES, [[site.pk]] * 2)
    with django_assert_max_num_queries(40) as first:
        page = admin_client.get(site.get_absolute_url())
    related = {r.name: n for r, n in page.context["related"]}
    assert related["systems.informationsystem.sites"] == 2
    assert related["systems.systemsite.site"] == 2
    more = systems(30, start=2)
    relations.assign(more, SITES, [[site.pk]] * len(more))
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = admin_client.get(site.get_absolute_url())
    assert {r.name: n for r, n in page.context["related"]}["systems.informationsystem.sites"] == 30
    url = site.get_absolute_url() + "related/systems.informationsystem.sites/"
    with django_assert_max_num_queries(PANEL_QUERIES) as panel:
        first_page = admin_client.get(url).content.decode()
    assert "S00 Sistema 0" in first_page and "S10 Sistema 10" not in first_page and "?page=2" in first_page
    assert "S29 Sistema 29" in admin_client.get(url, {"page": 3}).content.decode()
    assert len(panel.captured_queries) <= PANEL_QUERIES
    assert admin_client.get(site.get_absolute_url() + "related/systems.nothing.here/").status_code == 404


PANEL_QUERIES = 12  # session, user, permissions, the object, the page and its count, the menu


def test_reverse_relations_show_only_what_the_reader_may_see(client: Client) -> None:
    site = posts(1)[0]
    shown, hidden = systems(2)
    relations.assign([shown, hidden], SITES, [[site.pk]] * 2)
    user = User.objects.create_user("skaitytojas")
    for model, constraints in ((Site, None), (InformationSystem, {"code": "S00"})):
        grant = ObjectPermission.objects.create(name=f"view {model.__name__}", actions=["view"],
                                                constraints=constraints)
        grant.object_types.set([ContentType.objects.get_for_model(model)])
        grant.users.add(user)
    client.force_login(user)
    page = client.get(site.get_absolute_url())
    assert {r.name: n for r, n in page.context["related"]} == {"systems.informationsystem.sites": 1}
    panel = client.get(site.get_absolute_url() + "related/systems.informationsystem.sites/").content.decode()
    assert "S00" in panel and "S01" not in panel


def test_openapi_describes_many_to_many_fields_as_arrays_of_ids(admin_client: Client) -> None:
    schemas = admin_client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("InformationSystem", "InformationSystemCreate", "InformationSystemPatch"):
        sites = schemas[name]["properties"]["sites"]
        kinds = [sites] if "type" in sites else sites["anyOf"]
        assert {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}} in [
            {k: v for k, v in kind.items() if k in {"type", "items"}} for kind in kinds], sites


def test_a_list_shows_a_many_to_many_column_in_one_query_per_page(
    admin_client: Client, django_assert_max_num_queries: Any,
) -> None:
    site = posts(1)[0]
    relations.assign(systems(3), SITES, [[site.pk]] * 3)
    url = "/systems/information-systems/?columns=code&columns=sites"
    with django_assert_max_num_queries(30) as few:
        assert admin_client.get(url).content.decode().count("P00 Postas 0</a>") == 3
    relations.assign(systems(20, start=3), SITES, [[site.pk]] * 17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).content.decode().count("P00 Postas 0</a>") == 20
