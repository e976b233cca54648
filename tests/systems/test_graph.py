"""The dependency graph: implied edges, walks both ways, redundancy-aware impact, cycles,
dangling targets, unknown objects, single points of failure and bounded query counts."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from irtis.inventory.models import Interface, Site
from irtis.network.models import IPAddress
from irtis.systems import graph
from irtis.systems.models import InformationSystem
from tests.virtualization.factories import server

from .factories import component, depends, estate, racked, system

pytestmark = pytest.mark.django_db


def labels(nodes: list[graph.NodeInfo]) -> set[str]:
    return {n.label for n in nodes}


def flat(layers: list[list[graph.NodeInfo]]) -> set[str]:
    return {n.label for layer in layers for n in layer}


def test_downstream_walks_implied_edges_to_the_ground() -> None:
    e = estate()
    layers = graph.downstream(e["system"])
    assert [n.label for n in layers[0]] == [str(e["system"])]
    found = flat(layers)
    # system → component → deployment → VM → cluster → hosts → rack → site
    assert {"web-1", "CL-T", "esx-1", "esx-2", "R1", str(e["site"])} <= found
    # … → database → DBMS instance → server
    assert {"SDB", "ORA1", "ora-1"} <= found
    depth = {n.label: n.depth for layer in layers for n in layer}
    assert depth["web-1"] < depth["CL-T"] < depth["esx-1"] < depth["R1"] < depth[str(e["site"])]


def test_labels_read_only_their_fields() -> None:
    """A label made from the LABEL_FIELDS columns alone is the object's own str(): a str() that
    reads another field fails here (the stand-in has no such attribute)."""
    e = estate()
    named = graph.describe(graph.walk([e["system"]]))
    for (type_id, object_id), info in named.items():
        assert info.label == str(ContentType.objects.get_for_id(type_id).get_object_for_this_type(pk=object_id))
    assert set(graph.LABEL_FIELDS) <= {info.kind for info in named.values()}


def test_walk_keys_are_the_databases_for_large_ids() -> None:
    """The staged walk reads keys the database generates (type << 40 | id); an id far beyond
    any sequence's reach still comes back as itself, at its distance."""
    top = system("BIG")
    far = Site.objects.create(pk=2**40 - 1, code="BIG", name="Tolima vieta", kind="datacentre")
    depends(top, far)
    found = graph.walk([top])
    assert found[graph.node_of(far)] == 1 and found[graph.node_of(top)] == 0
    assert graph.walk([top], "up") == {graph.node_of(top): 0}
    assert graph.walk([far], "up")[graph.node_of(top)] == 1


def test_ip_address_interface_device_edges() -> None:
    host = racked("srv-ip")
    port = Interface.objects.create(device=host, name="eth0")
    address = IPAddress.objects.create(address="10.1.2.3/24", interface=port)
    assert {"srv-ip eth0", "srv-ip", "R1"} <= flat(graph.downstream(address))
    assert "10.1.2.3/24" in flat(graph.upstream(host))


def test_upstream_finds_the_systems() -> None:
    e = estate()
    assert str(e["system"]) in flat(graph.upstream(e["hosts"][0]))
    assert str(e["system"]) in flat(graph.upstream(e["ora_host"]))


def test_redundant_deployment_degrades_single_deployment_stops() -> None:
    e = estate()
    one_web = graph.impact([e["web1"]])
    assert labels(one_web.degraded) >= {str(e["web"]), str(e["system"])}
    assert str(e["system"]) not in labels(one_web.stopped)
    both_web = graph.impact([e["web1"], e["web2"]])
    assert {str(e["web"]), str(e["system"])} <= labels(both_web.stopped)
    app = graph.impact([e["app"]])
    assert str(e["system"]) in labels(app.systems_stopped)


def test_cluster_survives_one_host_but_not_two() -> None:
    e = estate()
    one = graph.impact([e["hosts"][0]], objects=True)
    assert "CL-T" in labels(one.degraded) and "CL-T" not in labels(one.stopped)
    assert str(e["system"]) in labels(one.systems_degraded)
    two = graph.impact(e["hosts"], objects=True)
    assert {"CL-T", "web-1", "app-1", str(e["system"])} <= labels(two.stopped)


def test_rac_database_survives_one_node() -> None:
    from irtis.databases.models import Database, DBMSInstance

    node1 = DBMSInstance.objects.create(name="RAC1", engine="oracle", device=racked("rac-a"), role="rac_node",
                                        cluster_name="RAC-T")
    node2 = DBMSInstance.objects.create(name="RAC2", engine="oracle", device=racked("rac-b"), role="rac_node",
                                        cluster_name="RAC-T")
    db = Database.objects.create(instance=node1, name="RACDB")
    component(system("R"), "R db", [db], kind="database")
    assert "R Sistema R" in labels(graph.impact([node1.device]).systems_degraded)
    assert "R Sistema R" in labels(graph.impact([node1.device, node2.device]).systems_stopped)


def test_later_stages_count_members_stopped_in_earlier_ones() -> None:
    # A component on a machine of the cluster and on a server of its own: the server's failure
    # stops one deployment in the first stage, the cluster (both hosts) the other in the second.
    e = estate()
    solo = racked("solo-1")
    mixed = component(system("MIX"), "MIX app", [e["web1"], solo])
    everything = graph.impact([*e["hosts"], solo])
    assert {str(mixed), "MIX Sistema MIX"} <= labels(everything.stopped)
    for part in (e["hosts"], [solo]):
        result = graph.impact(part)
        assert str(mixed) in labels(result.degraded) and str(mixed) not in labels(result.stopped)


def test_unaffected_systems_and_soft_dependencies() -> None:
    e = estate()
    other = system("OTHER")
    backup = racked("bkp-1")
    depends(e["system"], backup, "backed_up_by", "degrades")
    result = graph.impact([backup])
    assert str(e["system"]) in labels(result.systems_degraded)
    assert str(other) in labels(result.unaffected)
    assert not result.systems_stopped


def test_non_production_components_do_not_stop_the_system() -> None:
    e = estate()
    test_vm = e["app"]
    s = system("T")
    component(s, "T app", [test_vm], environment="test")
    assert "T Sistema T" in labels(graph.impact([test_vm]).systems_degraded)


def test_cycles_terminate() -> None:
    e = estate()
    depends(e["hosts"][0], e["app"], "runs_on")  # a host that "depends" on a VM running on it
    depends(e["site"], e["system"])  # and a site that depends on the system: a long cycle
    found = flat(graph.downstream(e["system"], depth=graph.MAX_DEPTH))
    assert "esx-1" in found
    result = graph.impact([e["app"]], objects=True)
    assert str(e["system"]) in labels(result.stopped) and "esx-1" in labels(result.stopped)
    assert graph.single_points_of_failure(e["system"]) is not None
    assert graph.graph_json(e["system"], "both", 8)["nodes"]


def test_dangling_targets_are_shown_not_fatal() -> None:
    e = estate()
    gone = Site.objects.create(code="GONE", name="Išnykusi", kind="datacentre")
    depends(e["cluster"], gone, "powered_by")
    gone.delete()
    layers = graph.downstream(e["system"])
    missing = [n for layer in layers for n in layer if not n.exists]
    assert len(missing) == 1 and missing[0].url == "" and "✗" in missing[0].label
    assert graph.single_points_of_failure(e["system"])  # still answers, without the deleted object
    assert all(n.exists for n in graph.single_points_of_failure(e["system"]))
    assert graph.graph_json(e["system"])["nodes"]


def test_unknown_objects_are_refused() -> None:
    kind = ContentType.objects.get_for_model(Site).id
    with pytest.raises(graph.UnknownObject):
        graph.impact([(kind, 999_999)])
    with pytest.raises(graph.UnknownObject):
        graph.parse("inventory.nosuchmodel-1")
    with pytest.raises(graph.UnknownObject):
        graph.parse("garbage")
    with pytest.raises(graph.UnknownObject):
        graph.downstream((kind, 999_999))


def test_single_points_of_failure() -> None:
    e = estate()
    found = labels(graph.single_points_of_failure(e["system"]))
    # the single app VM, the database's only instance and server, the rack and site they share
    assert {"app-1", "SDB", "ORA1", "ora-1", "R1", str(e["site"])} <= found
    # redundant: either web VM, either host; logical objects are not listed
    assert not found & {"web-1", "web-2", "esx-1", "esx-2", str(e["web"])}
    assert "CL-T" in found  # the cluster itself (one storage, one vCenter) is
    report = graph.spof_report()
    assert list(report) == [e["system"]] and labels(report[e["system"]]) == found


def test_single_points_respect_required_instances() -> None:
    # Two of three deployments required: one server may fail; three of three: none may.
    spare, tight = system("Q2"), system("Q3")
    component(spare, "Q2 app", [server(f"q2-{n}") for n in range(3)], required=2)
    component(tight, "Q3 app", [server(f"q3-{n}") for n in range(3)], required=3)
    found = graph.single_points_by_system([spare, tight])
    servers = {top: {n.label for n in nodes if n.label.startswith("q")} for top, nodes in found.items()}
    assert servers == {graph.node_of(spare): set(), graph.node_of(tight): {"q3-0", "q3-1", "q3-2"}}


def test_hidden_shared_storage_is_a_single_point_of_failure() -> None:
    e = estate()
    array = racked("masyvas-1")
    depends(e["cluster"], array, "stores_data_in")
    depends(e["ora_host"], array, "stores_data_in")
    assert "masyvas-1" in labels(graph.single_points_of_failure(e["system"]))
    assert str(e["system"]) in labels(graph.impact([array]).systems_stopped)


def test_query_counts_are_bounded(django_assert_max_num_queries: Any) -> None:
    e = estate()
    graph.impact([e["app"]])  # warm the content type cache
    with django_assert_max_num_queries(30) as few:
        graph.impact([e["app"]])
    with django_assert_max_num_queries(60) as mapped:  # a walk: one statement per level, both ways
        graph.graph_json(e["system"], "both", 8, failed=[e["app"]])
    with django_assert_max_num_queries(30) as report:  # on PostgreSQL, each query adds SAVEPOINT, SET jit, RELEASE
        graph.spof_report(InformationSystem.objects.all())
    for n in range(3, 30):  # many more systems, components and deployments of the same types
        component(system(f"X{n}"), f"X{n} app", [e["app"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = graph.impact([e["app"]])
    assert len(result.systems_stopped) == 28
    with django_assert_max_num_queries(len(mapped.captured_queries)):
        graph.graph_json(e["system"], "both", 8, failed=[e["app"]])
    with django_assert_max_num_queries(len(report.captured_queries)):
        assert len(graph.spof_report(InformationSystem.objects.all())) == 28


def test_component_on_two_instances_degrades_then_stops() -> None:
    from irtis.databases.models import DBMSInstance

    first, second = (DBMSInstance.objects.create(name=f"PG{n}", engine="postgresql", device=racked(f"pg-{n}"))
                     for n in (1, 2))
    served = component(system("TWO"), "TWO db", [first, second], kind="database")
    one = graph.impact([first])
    assert str(served) in labels(one.degraded) and "TWO Sistema TWO" in labels(one.systems_degraded)
    assert not one.systems_stopped and str(served) not in labels(one.stopped)
    assert one.counts["stopped"] == 1  # the deployment on the failed instance
    both = graph.impact([first, second])
    assert str(served) in labels(both.stopped) and "TWO Sistema TWO" in labels(both.systems_stopped)
    assert first.device.name not in labels(graph.single_points_of_failure(served.system))


def test_walks_give_the_shortest_distance_in_cycles() -> None:
    e = estate()
    depends(e["hosts"][0], e["app"], "runs_on")  # host → VM → cluster → host: a cycle
    depends(e["system"], e["hosts"][0])  # and a short cut: the host is also at distance 1
    found = graph.walk([e["system"]], "down", graph.MAX_DEPTH)
    host = graph.node_of(e["hosts"][0])
    assert found[host] == 1 and found[graph.node_of(e["system"])] == 0
    assert graph.walk([e["system"]], "down", 1)[host] == 1
    assert graph.node_of(e["site"]) not in graph.walk([e["system"]], "down", 1)
    up = graph.walk([e["app"]], "up", graph.MAX_DEPTH)
    assert up[graph.node_of(e["hosts"][0])] == 1  # the host "depends" on the VM


def test_impact_counts_every_object_and_names_only_services() -> None:
    e = estate()
    brief = graph.impact(e["hosts"])
    full = graph.impact(e["hosts"], objects=True)
    assert brief.counts == full.counts and brief.counts["stopped"] == len(full.stopped)
    assert {n.kind for n in brief.stopped} <= {"systems.component", "systems.informationsystem"}
    assert {"CL-T", "web-1"} <= labels(full.stopped) and "CL-T" not in labels(brief.stopped)


def test_graph_json_shape() -> None:
    e = estate()
    data = graph.graph_json(e["system"], "down", 8, failed=[e["hosts"][0]])
    ids = {n["id"] for n in data["nodes"]}
    assert set(data["nodes"][0]) >= {"id", "label", "kind", "layer", "url"}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in data["edges"])
    states = {n["label"]: n["state"] for n in data["nodes"]}
    assert states["esx-1"] == "failed" and states["CL-T"] == "degraded" and states["esx-2"] == ""
    kinds = {(edge["kind"], edge["mode"]) for edge in data["edges"]}
    assert {("runs_on", "group"), ("has_instance", "group"), ("consists_of", "hard")} <= kinds
