"""Technical services and disaster-recovery failover paths: validation, impact ("stopped until
failover" with the RTO), single points of failure (tested paths cover, untested ones mark),
query counts and the API."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from irtis.systems import graph
from irtis.systems.models import Component, Deployment, FailoverPath, InformationSystem
from tests.support.language import choose
from tests.virtualization.factories import server, site

from .factories import component, depends, estate, system

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    """The refusals are checked by their English text."""
    with translation.override("en"):
        yield


def labels(nodes: list[graph.NodeInfo]) -> set[str]:
    return {n.label for n in nodes}


def standby_setup(tested: bool = True, whole: bool = False) -> dict[str, Any]:
    """The estate of `factories.estate` in DC1 and a standby of its app tier on a DC2 server."""
    e = estate()
    dc2 = site("DC2")
    dr_host = server("dr-1", at=dc2)
    standby = Component.objects.create(system=e["system"], name="S app (DR)", kind="application",
                                       standby_for=e["app_c"])
    deployment = Deployment.objects.create(component=standby, device=dr_host)
    drill = timezone.localdate() - datetime.timedelta(days=30 if tested else 800)
    path = FailoverPath.objects.create(
        system=e["system"], component=None if whole else e["app_c"], primary_site=e["site"], standby_site=dc2,
        standby=deployment, rto_hours=Decimal("4"), last_tested=drill, test_result="passed")
    return {**e, "dc2": dc2, "dr_host": dr_host, "standby": standby, "deployment": deployment, "path": path}


def path_values(e: dict[str, Any], **changes: Any) -> FailoverPath:
    values = {"system": e["system"], "component": e["app_c"], "primary_site": e["site"], "standby_site": e["dc2"],
              "standby": e["deployment"], "rto_hours": Decimal("4"), "method": "manual"}
    return FailoverPath(**{**values, **changes})


# --- validation -------------------------------------------------------------------------------

def test_a_good_path_is_valid() -> None:
    e = standby_setup()
    path_values(e).full_clean()
    assert e["path"].tested


@pytest.mark.parametrize(("changes", "field"), [
    ({"rto_hours": Decimal("0")}, "rto_hours"),
    ({"rto_hours": Decimal("-1")}, "rto_hours"),
    ({"standby_site": "primary"}, "standby_site"),
    ({"test_result": "passed", "last_tested": None}, "last_tested"),
    ({"last_tested": "future"}, "last_tested"),
])
def test_bad_values_are_refused(changes: dict[str, Any], field: str) -> None:
    e = standby_setup()
    if changes.get("standby_site") == "primary":
        changes["standby_site"] = e["site"]
    if changes.get("last_tested") == "future":
        changes["last_tested"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        path_values(e, **changes).full_clean()
    assert field in error.value.message_dict


def test_standby_of_another_system_is_refused() -> None:
    e = standby_setup()
    other = system("OTHER")
    primary = component(other, "O app", [server("o-1")])
    foreign = Component.objects.create(system=other, name="O app (DR)", kind="application", standby_for=primary)
    deployment = Deployment.objects.create(component=foreign, device=server("o-dr", at=e["dc2"]))
    with pytest.raises(ValidationError) as error:
        path_values(e, standby=deployment).full_clean()
    assert "the same system" in str(error.value.message_dict["standby"])


def test_standby_equal_to_the_primary_is_refused() -> None:
    e = standby_setup()
    own = Deployment.objects.get(component=e["app_c"])  # an instance of the component itself
    with pytest.raises(ValidationError) as error:
        path_values(e, standby=own).full_clean()
    assert "already counted" in str(error.value.message_dict["standby"])


def test_standby_must_be_of_a_standby_component_at_the_standby_site() -> None:
    e = standby_setup()
    with pytest.raises(ValidationError) as error:  # a deployment of an ordinary component
        path_values(e, standby=Deployment.objects.get(component=e["db_c"])).full_clean()
    assert "standby component" in str(error.value.message_dict["standby"])
    near = Deployment.objects.create(component=e["standby"], device=server("dr-near"))  # in DC1
    with pytest.raises(ValidationError) as error:
        path_values(e, standby=near).full_clean()
    assert "primary site" in str(error.value.message_dict["standby"])
    with pytest.raises(ValidationError) as error:
        path_values(e, standby_site=site("DC3")).full_clean()
    assert "standby_site" in error.value.message_dict


def test_component_of_another_system_is_refused() -> None:
    e = standby_setup()
    with pytest.raises(ValidationError) as error:
        path_values(e, component=component(system("OTHER"), "O app", [server("o-1")])).full_clean()
    assert "component" in error.value.message_dict


def test_standby_component_rules() -> None:
    e = standby_setup()
    other = Component(system=system("OTHER"), name="x", kind="web", standby_for=e["app_c"])
    with pytest.raises(ValidationError, match="same system"):
        other.clean()
    chained = Component(system=e["system"], name="y", kind="web", standby_for=e["standby"])
    with pytest.raises(ValidationError, match="itself a standby"):
        chained.clean()


# --- impact -----------------------------------------------------------------------------------

def test_tested_failover_stops_until_failover_with_its_rto() -> None:
    e = standby_setup()
    found = graph.impact([e["app"]])
    assert not found.systems_stopped
    assert [(n.label, n.rto_hours) for n in found.systems_failover] == [(str(e["system"]), 4.0)]
    assert str(e["app_c"]) in labels(found.failover)
    assert found.counts["failover"] >= 2 and found.as_dict()["failover"][0]["rto_hours"] == 4.0


def test_untested_failover_still_stops() -> None:
    e = standby_setup(tested=False)
    found = graph.impact([e["app"]])
    assert labels(found.systems_stopped) == {str(e["system"])} and not found.failover


def test_failed_standby_or_standby_site_means_stopped() -> None:
    e = standby_setup()
    for extra in (e["dr_host"], e["dc2"]):
        found = graph.impact([e["app"], extra])
        assert labels(found.systems_stopped) == {str(e["system"])} and not found.failover


def test_a_component_failed_itself_does_not_fail_over() -> None:
    e = standby_setup()
    found = graph.impact([e["app_c"]])
    assert labels(found.systems_stopped) == {str(e["system"])}


def test_component_path_does_not_cover_another_component() -> None:
    e = standby_setup()
    found = graph.impact([e["app"], e["ora_host"]])  # the database has no standby
    assert labels(found.systems_stopped) == {str(e["system"])}
    assert str(e["app_c"]) in labels(found.failover)


def test_whole_system_path_covers_the_primary_site() -> None:
    e = standby_setup(whole=True)
    found = graph.impact([e["site"]])
    assert labels(found.systems_failover) == {str(e["system"])} and not found.systems_stopped


def test_dependents_wait_for_the_failover_of_a_technical_service() -> None:
    e = standby_setup(whole=True)
    e["system"].kind = InformationSystem.Kind.TECHNICAL_SERVICE
    e["system"].save()
    user_system = system("USER")
    depends(user_system, e["system"])
    found = graph.impact([e["site"]])
    assert {(n.label, n.rto_hours) for n in found.systems_failover} == {
        (str(e["system"]), 4.0), (str(user_system), 4.0)}


def test_a_hard_dependency_outside_the_path_still_stops() -> None:
    e = standby_setup(whole=True)
    dns = system("DNS")
    component(dns, "DNS", [server("dns-1")])
    depends(e["system"], dns)
    found = graph.impact([e["site"]])  # dns-1 is in DC1 too, with no standby
    assert str(e["system"]) in labels(found.systems_stopped)


def test_a_hard_dependency_outside_the_path_still_stops_once_the_database_is_analysed() -> None:
    """With statistics (ANALYZE, as on a real estate), SQLite planned the failover walk's
    "kept running" filter, untied to the walk's row, so that nothing stopped at all: every
    stopped object became "stopped until failover" (the benchmark's SQLite/PostgreSQL split)."""
    e = standby_setup(whole=True)
    dns = system("DNS")
    component(dns, "DNS", [server("dns-1")])
    depends(e["system"], dns)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    found = graph.impact([e["site"]])
    assert str(e["system"]) in labels(found.systems_stopped) and not found.systems_failover


def test_map_colours_failover() -> None:
    e = standby_setup()
    data = graph.graph_json(e["system"], "down", 8, failed=[e["app"]])
    states = {n["label"]: (n["state"], n["rto_hours"]) for n in data["nodes"]}
    assert states[str(e["system"])] == ("failover", 4.0)


# --- single points of failure -----------------------------------------------------------------

def test_tested_path_removes_what_it_covers() -> None:
    e = standby_setup()
    found = labels(graph.single_points_of_failure(e["system"]))
    assert "app-1" not in found  # the app tier fails over
    assert {"SDB", "ORA1", "ora-1"} <= found  # the database does not


def test_untested_path_marks_what_it_would_cover() -> None:
    e = standby_setup(tested=False)
    found = {n.label: n.state for n in graph.single_points_of_failure(e["system"])}
    assert found["app-1"] == "untested_failover" and found["SDB"] == ""


def test_whole_system_path_removes_the_primary_site() -> None:
    e = standby_setup(whole=True)
    assert not labels(graph.single_points_of_failure(e["system"])) & {"app-1", "SDB", "ora-1", "R1", str(e["site"])}


def test_what_the_standby_shares_stays_a_single_point() -> None:
    e = standby_setup(whole=True)
    shared = server("san-1", at=e["dc2"])
    depends(e["ora_host"], shared, "stores_data_in")
    depends(e["dr_host"], shared, "stores_data_in")
    assert "san-1" in labels(graph.single_points_of_failure(e["system"]))


# --- query counts and the API -----------------------------------------------------------------

def test_query_counts(django_assert_num_queries: Any, django_assert_max_num_queries: Any) -> None:
    e = standby_setup()
    graph.impact([e["app"]])  # warm the content type cache
    with django_assert_max_num_queries(40) as first:
        graph.impact([e["app"]])
    with django_assert_max_num_queries(40) as report:
        graph.spof_report(InformationSystem.objects.all())
    for n in range(5):  # more systems with paths: the same number of queries
        more = standby_setup_more(e, n)
        assert more.tested
    with django_assert_num_queries(len(first.captured_queries)):
        graph.impact([e["app"]])
    with django_assert_num_queries(len(report.captured_queries)):
        graph.spof_report(InformationSystem.objects.all())


def standby_setup_more(e: dict[str, Any], n: int) -> FailoverPath:
    other = system(f"M{n}")
    primary = component(other, f"M{n} app", [e["app"]])
    spare = Component.objects.create(system=other, name=f"M{n} app (DR)", kind="application", standby_for=primary)
    deployment = Deployment.objects.create(component=spare, device=server(f"m{n}-dr", at=e["dc2"]))
    return FailoverPath.objects.create(
        system=other, component=primary, primary_site=e["site"], standby_site=e["dc2"], standby=deployment,
        rto_hours=Decimal("2"), last_tested=timezone.localdate(), test_result="passed")


def test_api_reports_failover(admin_client: Any) -> None:
    e = standby_setup()
    choose(admin_client, "en")
    answer = admin_client.get(f"/api/systems/impact/?failed=virtualization.virtualmachine-{e['app'].pk}").json()
    assert [(n["label"], n["rto_hours"], n["state"]) for n in answer["failover"]
            if n["kind"] == "systems.informationsystem"] == [(str(e["system"]), 4.0, "failover")]
    assert answer["counts"]["failover"] >= 2


def test_technical_services_menu_filters_the_list(admin_client: Any) -> None:
    dns = system("DNS")
    dns.kind = InformationSystem.Kind.TECHNICAL_SERVICE
    dns.save()
    system("MDAS")
    answer = admin_client.get("/systems/technical-services/", follow=True)
    text = answer.content.decode()
    assert answer.status_code == 200 and "Sistema DNS" in text and "Sistema MDAS" not in text
