"""The edge index (`systems_edge`) is derived from the records and never disagrees with them:
after every kind of write (ORM save, queryset update, bulk create/update, deletes with their
cascades, raw SQL) it holds exactly the edges the branches compute, and `irtis edges` checks
and rebuilds it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from irtis.databases.models import Database, DBMSInstance
from irtis.inventory.models import Device, Interface, Rack, Site
from irtis.network.models import IPAddress
from irtis.systems import edges, graph
from irtis.systems.models import Certificate, Component, Dependency, Deployment, Edge, Interconnection
from irtis.virtualization.models import ClusterHost, VirtualMachine
from tests.virtualization.factories import cluster, server, site

from .factories import component, depends, estate, eu, racked, system

pytestmark = pytest.mark.django_db


def agrees() -> None:
    assert edges.differences() == []


def test_orm_writes_keep_the_index_current() -> None:
    e = estate()
    agrees()
    assert Edge.objects.count() > 20
    other = cluster("CL-2")
    e["app"].cluster = other
    e["app"].save()
    agrees()
    assert graph.node_of(other) in graph.walk([e["app"]], "down", 1)
    e["hosts"][0].rack = None  # a device without a rack sits at its site
    e["hosts"][0].save()
    agrees()
    e["rack"].site = site("DC2")
    e["rack"].save()
    e["db_c"].environment = "test"  # a test component no longer stops its system
    e["db_c"].save()
    agrees()
    assert str(e["system"]) not in {n.label for n in graph.impact([e["ora_host"]]).systems_stopped}
    link = Interconnection.objects.create(name="S–NCTS", system=e["system"], eu_system=eu(), protocol="ccn_csi",
                                          gateway_vm=e["web1"])
    Certificate.objects.create(subject="CN=s", issuer="CA", serial="9", interconnection=link, expires="2030-01-01")
    port = Interface.objects.create(device=e["ora_host"], name="eth0")
    IPAddress.objects.create(address="10.9.8.7/24", interface=port)
    agrees()
    dependency = depends(e["system"], e["ora_host"], effect="degrades")
    dependency.effect = "stops"
    dependency.save()
    agrees()


def test_bulk_writes_and_raw_sql_keep_the_index_current() -> None:
    e = estate()
    other = cluster("CL-B")
    VirtualMachine.objects.filter(cluster=e["cluster"]).update(cluster=other)  # no signals
    agrees()
    assert graph.node_of(other) in graph.walk([e["web1"]], "down", 1)
    devices = Device.objects.bulk_create([Device(name=f"bulk-{n}", role=e["ora_host"].role,
                                                 hardware_model=e["ora_host"].hardware_model, site=e["site"])
                                          for n in range(3)])
    ClusterHost.objects.bulk_create([ClusterHost(cluster=other, device=d, cpu_cores=8, memory_gb=64) for d in devices])
    agrees()
    for device in devices:
        device.rack = e["rack"]
    Device.objects.bulk_update(devices, ["rack"])
    agrees()
    Component.objects.filter(pk=e["web"].pk).update(environment="test")
    Dependency.objects.bulk_create([Dependency(source_type_id=graph.node_of(d)[0], source_id=d.pk,
                                               target_type_id=graph.node_of(e["rack"])[0], target_id=e["rack"].pk,
                                               kind="powered_by") for d in devices])
    Dependency.objects.filter(kind="powered_by").update(effect="degrades")
    agrees()
    table = connection.ops.quote_name(Deployment._meta.db_table)
    with connection.cursor() as cursor:  # even a write that bypasses Django
        cursor.execute(f"UPDATE {table} SET virtual_machine_id = %s WHERE id = %s", [e["web2"].pk, e["web"].pk])
    agrees()


def test_deletes_and_cascades_keep_the_index_current() -> None:
    e = estate()
    depends(e["cluster"], e["ora_host"], "stores_data_in")
    Deployment.objects.filter(virtual_machine=e["web2"]).delete()
    e["web2"].delete()
    agrees()
    ClusterHost.objects.filter(device=e["hosts"][1]).delete()
    agrees()
    e["system"].delete()  # components, deployments
    agrees()
    Dependency.objects.all().delete()
    VirtualMachine.objects.all().delete()
    agrees()
    assert not Edge.objects.filter(origin_type=graph.node_of(e["app"])[0]).exists()


def test_rac_membership_rewrites_the_databases_edges() -> None:
    nodes = [DBMSInstance.objects.create(name=f"RAC{n}", engine="oracle", device=racked(f"rac-{n}"),
                                         role="rac_node", cluster_name="RAC-X") for n in (1, 2)]
    db = Database.objects.create(instance=nodes[0], name="XDB")
    agrees()
    assert len(graph.walk([db], "down", 1)) == 3  # the database and both nodes
    third = DBMSInstance.objects.create(name="RAC3", engine="oracle", device=racked("rac-3"), role="rac_node",
                                        cluster_name="RAC-X")
    agrees()
    assert graph.node_of(third) in graph.walk([db], "down", 1)
    DBMSInstance.objects.filter(pk=third.pk).update(cluster_name="RAC-Y")
    agrees()
    nodes[1].role = "standalone"
    nodes[1].save()
    agrees()
    assert set(graph.walk([db], "down", 1)) == {graph.node_of(db), graph.node_of(nodes[0])}
    third.delete()
    agrees()


def test_check_and_rebuild_command() -> None:
    e = estate()
    call_command("edges", "check")
    Edge.objects.filter(origin_type=graph.node_of(e["app"])[0]).delete()  # a damaged index
    Edge.objects.create(origin_type=0, origin_id=1, source_type=1, source_id=1, target_type=1, target_id=2,
                        kind="x", mode="hard")
    found = edges.differences()
    assert {row[0] for row in found} == {"missing", "extra"}
    with pytest.raises(CommandError):
        call_command("edges", "check")
    call_command("edges", "rebuild")
    agrees()


def test_install_recreates_missing_triggers() -> None:
    e = estate()
    name = f"systems_edge_{Rack._meta.db_table}"
    with connection.cursor() as cursor:  # what a migration rebuilding the table does on SQLite
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}_u" if connection.vendor == "sqlite"
                       else f"DROP TRIGGER IF EXISTS {name} ON {connection.ops.quote_name(Rack._meta.db_table)}")
    e["rack"].site = Site.objects.create(code="DC9", name="Kita", kind="datacentre")
    e["rack"].save()
    assert edges.differences()
    edges.install()
    agrees()
    e["rack"].site = site()
    e["rack"].save()
    agrees()


def test_map_and_impact_read_the_index() -> None:
    e = estate()
    component(system("NEW"), "NEW app", [server("new-srv")])
    result = graph.impact([Device.objects.get(name="new-srv")])
    assert "NEW Sistema NEW" in {n.label for n in result.systems_stopped}
    assert graph.graph_json(e["system"], "down", 8)["edges"]
