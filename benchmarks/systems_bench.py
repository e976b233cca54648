"""Dependency graph measurements: 100,000 objects, 300,000 explicit dependencies.

    .venv/bin/python benchmarks/systems_bench.py                     # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_sysbench \\
        .venv/bin/python benchmarks/systems_bench.py                 # PostgreSQL

The estate (seeded random.Random(20261129), written with bulk SQL, no audit entries):
10 sites, 200 racks, 10,000 servers and 200 disk arrays, 100 vSphere clusters of 10 hosts,
60,000 virtual machines, 2,000 DBMS instances, 6,000 databases, 500 information systems
(50 of category I), 5,000 components and about 15,000 deployments: about 100,000 objects; 50
failover paths (one per category-I system, see `_failover`). On top, 300,000 explicit
dependencies, mostly from a higher layer to a lower one (machine → machine,
machine → server, server → array, system → system), 30 % of them "stops", the rest "degrades",
and 1 % pointing back up (cycles).

Each figure is a median of repeated runs; "bare" is the same walk as one recursive CTE run on a
cursor, without validating, naming or classifying objects (for the walk with distances: the
closure it stays within, without distances and without the 12-layer limit). The 300-node map's JSON is written to
$IRTIS_DATA_DIR/systems_map.json for the browser measurement (benchmarks/systems_map_browser.py).
"""

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from common import api_client, check_ok, measure, setup_database, teardown_database

SEED = 20261129
N_SITES, N_RACKS, N_SERVERS, N_ARRAYS = 10, 200, 10_000, 200
N_CLUSTERS, HOSTS_PER_CLUSTER, N_VMS = 100, 10, 60_000
N_INSTANCES, N_DATABASES, N_SYSTEMS, COMPONENTS_PER_SYSTEM = 2_000, 6_000, 500, 10
N_DEPENDENCIES = 300_000
VMS_PER_CLUSTER = N_VMS // N_CLUSTERS


def insert(model: type, rows: list[dict[str, Any]]) -> None:
    """INSERT rows with executemany; fields left out take their Python default (or NULL)."""
    from django.db import connection

    now = datetime.datetime.now(datetime.UTC)
    fields = [f for f in model._meta.concrete_fields]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    defaults = {}
    for f in fields:
        if f.name in {"created", "updated"}:
            defaults[f.attname] = now
        else:  # the field's default, "" for text, else NULL
            defaults[f.attname] = f.get_default()
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) VALUES ({marks})"
    values = [[row.get(f.attname, defaults[f.attname]) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start:start + 5000])


def reset_sequences(models: list[type]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _edge(rng: random.Random, types: dict[type, int], arrays: list[int]) -> tuple[int, int, int, int]:
    """An explicit dependency, mostly down the layers and local, as estates are: machines call
    machines of the same application (blocks of 100, tier to next tier), use servers and arrays
    of their site; systems use systems of their group of ten; 1 % point back up (cycles)."""
    from irtis.inventory.models import Device
    from irtis.systems.models import InformationSystem
    from irtis.virtualization.models import VirtualMachine

    vm, device, system = types[VirtualMachine], types[Device], types[InformationSystem]
    roll = rng.random()
    if roll < 0.5:  # machine → machine of the next tier of its block
        source = rng.randint(1, N_VMS - 100)
        block, tier = (source - 1) // 100 * 100, ((source - 1) % 100) // 25
        target = block + min(3, tier + 1) * 25 + rng.randint(1, 25)
        return (vm, source, vm, target)
    if roll < 0.75:  # machine → server of its site
        source = rng.randint(1, N_VMS)
        site = ((source - 1) // VMS_PER_CLUSTER) % N_SITES
        return (vm, source, device, rng.randrange(N_SERVERS // N_SITES) * N_SITES + site + 1)
    if roll < 0.90:  # server → disk array of its site
        source = rng.randint(1, N_SERVERS)
        site = (source - 1) % N_SITES
        return (device, source, device, arrays[rng.randrange(N_ARRAYS // N_SITES) * N_SITES + site])
    if roll < 0.99:  # system → system of its group of ten
        source = rng.randint(1, N_SYSTEMS)
        return (system, source, system, (source - 1) // 10 * 10 + rng.randint(1, 10))
    source = rng.randint(1, N_VMS)  # a server depending on a machine of its cluster's site: cycles
    return (device, rng.randrange(N_SERVERS // N_SITES) * N_SITES + ((source - 1) // VMS_PER_CLUSTER) % N_SITES + 1,
            vm, source)


def _failover(rng: random.Random, components: list[dict], deployments: list[dict]) -> tuple[int, list[dict]]:
    """Each category-I system has a standby of its first application component on a machine of
    a cluster at another site than the first (site 1 → 2), and a failover path (RTO 4 h): of the
    whole system for even systems, of the component for odd ones; 40 drilled a month ago, the
    last 10 two years ago (untested). Components and deployments are appended to the lists."""
    today = datetime.date.today()
    paths = []
    for s in range(50):
        primary = s * COMPONENTS_PER_SYSTEM + 2  # component c1, production
        standby = len(components) + 1
        components.append({"id": standby, "system_id": s + 1, "name": "c1-dr", "kind": "application",
                           "environment": "production", "required_instances": 1, "standby_for_id": primary})
        cluster = rng.randrange(N_CLUSTERS // N_SITES) * N_SITES + 1  # clusters of site 2 (index 1)
        deployment = len(deployments) + 1
        deployments.append({"id": deployment, "component_id": standby,
                            "virtual_machine_id": cluster * VMS_PER_CLUSTER + rng.randint(1, VMS_PER_CLUSTER)})
        paths.append({"id": s + 1, "system_id": s + 1, "component_id": None if s % 2 == 0 else primary,
                      "primary_site_id": 1, "standby_site_id": 2, "standby_id": deployment, "rto_hours": 4,
                      "method": "manual", "test_result": "passed",
                      "last_tested": today - datetime.timedelta(days=30 if s < 40 else 800)})
    return 50, paths


def generate(rng: random.Random) -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from irtis.databases.models import Database, DBMSInstance
    from irtis.inventory.models import Device, DeviceRole, HardwareModel, Manufacturer, Rack, Site
    from irtis.systems.models import (
        Component,
        Dependency,
        Deployment,
        FailoverPath,
        ImportanceCategory,
        InformationSystem,
    )
    from irtis.virtualization.models import Cluster, ClusterHost, ClusterType, VirtualMachine

    counts: dict[str, int] = {}
    with transaction.atomic():
        maker = Manufacturer.objects.create(name="vendor")
        model = HardwareModel.objects.create(name="model", manufacturer=maker, u_height=1)
        server, array = DeviceRole.objects.create(name="server"), DeviceRole.objects.create(name="array")
        vsphere = ClusterType.objects.create(name="vSphere")
        top = ImportanceCategory.objects.create(code="I", name="I", rank=1, analyse_spof=True)
        other = ImportanceCategory.objects.create(code="II", name="II", rank=2)

        insert(Site, [{"id": s + 1, "code": f"S{s:02}", "name": f"site {s}", "kind": "datacentre"}
                      for s in range(N_SITES)])
        insert(Rack, [{"id": r + 1, "name": f"rack-{r:03}", "site_id": r % N_SITES + 1} for r in range(N_RACKS)])
        devices = []
        for d in range(N_SERVERS + N_ARRAYS):
            rack = d % N_RACKS + 1
            devices.append({"id": d + 1, "name": f"dev-{d:05}", "role_id": (server if d < N_SERVERS else array).pk,
                            "hardware_model_id": model.pk, "site_id": (rack - 1) % N_SITES + 1, "rack_id": rack})
        insert(Device, devices)
        arrays = list(range(N_SERVERS + 1, N_SERVERS + N_ARRAYS + 1))
        insert(Cluster, [{"id": c + 1, "name": f"cl-{c:03}", "type_id": vsphere.pk, "site_id": c % N_SITES + 1}
                         for c in range(N_CLUSTERS)])
        hosts = []
        for c in range(N_CLUSTERS):  # hosts of cluster c: servers at the cluster's site
            for h in range(HOSTS_PER_CLUSTER):
                device = (c * HOSTS_PER_CLUSTER + h) * N_SITES + (c % N_SITES) + 1
                hosts.append({"id": len(hosts) + 1, "cluster_id": c + 1, "device_id": device, "cpu_cores": 48,
                              "memory_gb": 1024})
        insert(ClusterHost, hosts)
        insert(VirtualMachine, [{"id": v + 1, "name": f"vm-{v:05}", "cluster_id": v // VMS_PER_CLUSTER + 1, "vcpus": 4,
                                 "memory_mb": 8192} for v in range(N_VMS)])
        instances = []
        for i in range(N_INSTANCES):
            on_vm = i % 2 == 0
            instances.append({"id": i + 1, "name": f"db-{i:04}", "engine": "oracle" if not on_vm else "postgresql",
                              "virtual_machine_id": rng.randint(1, N_VMS) if on_vm else None,
                              "device_id": None if on_vm else rng.randint(1, N_SERVERS),
                              "role": "rac_node" if not on_vm else "standalone",
                              "cluster_name": f"RAC-{i // 4}" if not on_vm else ""})
        insert(DBMSInstance, instances)
        insert(Database, [{"id": b + 1, "name": f"d{b:05}", "instance_id": b % N_INSTANCES + 1}
                          for b in range(N_DATABASES)])
        insert(InformationSystem, [{"id": s + 1, "code": f"IS-{s:03}", "name": f"system {s}",
                                    "category_id": (top if s < 50 else other).pk} for s in range(N_SYSTEMS)])
        components, deployments = [], []
        for s in range(N_SYSTEMS):
            for k in range(COMPONENTS_PER_SYSTEM):
                cid = len(components) + 1
                kind = "database" if k == 0 else "application"
                components.append({"id": cid, "system_id": s + 1, "name": f"c{k}", "kind": kind,
                                   "environment": "production" if k < 6 else "test", "required_instances": 1})
                for _ in range(1 if k == 0 else rng.choice((2, 3, 4))):
                    row = {"id": len(deployments) + 1, "component_id": cid}
                    if k == 0:
                        row["database_id"] = rng.randint(1, N_DATABASES)
                    else:
                        row["virtual_machine_id"] = rng.randint(1, N_VMS)
                    deployments.append(row)
        standbys, paths = _failover(rng, components, deployments)
        insert(Component, components)
        insert(Deployment, deployments)
        insert(FailoverPath, paths)
        types = {m: ContentType.objects.get_for_model(m).id
                 for m in (VirtualMachine, Device, InformationSystem, Cluster, Database)}
        seen: set[tuple] = set()
        edges = []
        while len(edges) < N_DEPENDENCIES:
            edge = _edge(rng, types, arrays)
            if edge in seen or edge[:2] == edge[2:]:
                continue
            seen.add(edge)
            edges.append({"id": len(edges) + 1, "source_type_id": edge[0], "source_id": edge[1], "kind": "depends_on",
                          "target_type_id": edge[2], "target_id": edge[3],
                          "effect": "stops" if rng.random() < 0.3 else "degrades"})
        for c in range(N_CLUSTERS):  # every cluster keeps its disks on one array
            edges.append({"id": len(edges) + 1, "source_type_id": types[Cluster], "source_id": c + 1,
                          "kind": "stores_data_in", "target_type_id": types[Device],
                          "target_id": arrays[c % len(arrays)], "effect": "stops"})
        insert(Dependency, edges)
        reset_sequences([Site, Rack, Device, Cluster, ClusterHost, VirtualMachine, DBMSInstance, Database,
                         InformationSystem, Component, Deployment, Dependency, FailoverPath])
    counts = {"objects": N_SITES + N_RACKS + len(devices) + N_CLUSTERS + len(hosts) + N_VMS + N_INSTANCES
              + N_DATABASES + N_SYSTEMS + len(components) + len(deployments), "dependencies": len(edges),
              "failover paths": len(paths), "standby components": standbys}
    from django.db import connection

    # What autovacuum does after a bulk load: statistics, and (PostgreSQL) the visibility map
    # that lets a walk read the edge index without visiting the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return counts


def bare(query: str) -> Any:
    """A walk's SQL alone on a cursor: no validation, naming or classification."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(query)
        return cursor.fetchall()


def main() -> None:
    vendor = setup_database()
    try:
        start = time.perf_counter()
        counts = generate(random.Random(SEED))
        print(f"database: {vendor}; generated {counts} in {time.perf_counter() - start:.1f} s "
              f"(edge index kept by triggers)")
        from irtis.inventory.models import Device
        from irtis.systems import edges, graph, sql
        from irtis.systems.models import Edge, InformationSystem
        from irtis.virtualization.models import ClusterHost

        start = time.perf_counter()
        print(f"edge index kept by the triggers during the bulk load: {len(edges.differences())} differences from "
              f"the records ({Edge.objects.count()} edges, compared in {time.perf_counter() - start:.1f} s)")
        from irtis.inventory.models import Site

        site = Site.objects.get(pk=1)  # the failover paths' primary site
        host = ClusterHost.objects.order_by("pk").first().device
        array = Device.objects.get(name=f"dev-{N_SERVERS:05}")
        system = InformationSystem.objects.get(code="IS-007")
        host_node, array_node, system_node = graph.node_of(host), graph.node_of(array), graph.node_of(system)
        for name, obj in (("host", host), ("array", array), ("site", site)):
            found = graph.impact([obj])
            print(f"{name} {obj}: {found.counts['stopped']} stopped, {found.counts['failover']} stopped until "
                  f"failover ({len(found.systems_failover)} systems), {found.counts['degraded']} degraded; "
                  f"named {len(found.stopped) + len(found.failover) + len(found.degraded)} systems and components")
        print(f"downstream of {system}: {len(graph.walk([system]))} objects in 12 layers, "
              f"{len(graph.walk([system], depth=4))} in 4; the bare CTE (no depth limit) reaches "
              f"{len(bare(sql.closure([system_node], 'down')))}")
        client = api_client()
        top50 = list(InformationSystem.objects.filter(category__code="I").order_by("pk"))
        map_url = f"/api/systems/graph/?object=systems.informationsystem-{system.pk}&direction=both&depth=3"
        results = [
            measure("impact (up) of one host: impact()", lambda: graph.impact([host]), runs=15),
            measure("  bare CTE of the walk (everything above it)",
                    lambda: bare(sql.closure([host_node], "up")), runs=15),
            measure("impact (up) of one disk array: impact()", lambda: graph.impact([array]), runs=15),
            measure("  bare CTE of the walk", lambda: bare(sql.closure([array_node], "up")), runs=15),
            measure("impact of one site (primary of the failover paths): impact()", lambda: graph.impact([site]),
                    runs=5),
            measure("API GET /api/systems/impact/ (host)",
                    lambda: check_ok(client.get(f"/api/systems/impact/?failed=inventory.device-{host.pk}")), runs=15),
            measure("walk (down) of one system, 12 layers: walk()", lambda: graph.walk([system]), runs=9),
            measure("  bare CTE of its closure (no distances or limit)",
                    lambda: bare(sql.closure([system_node], "down")), runs=9),
            measure("downstream() of one system, 12 layers, all named", lambda: graph.downstream(system), runs=3),
            measure("downstream() of one system, 4 layers, named", lambda: graph.downstream(system, 4), runs=15),
            measure("single points of failure, 1 system", lambda: graph.single_points_of_failure(system), runs=5),
            measure("SPOF report, 50 category-I systems", lambda: graph.spof_report(top50), runs=3),
            measure("map JSON, 300 nodes: graph_json()", lambda: graph.graph_json(system, "both", 4, limit=300)),
            measure("map JSON, 300 nodes, host failed",
                    lambda: graph.graph_json(system, "both", 4, failed=[host], limit=300)),
            measure("API GET /api/systems/graph/ (both ways, 3 deep)", lambda: check_ok(client.get(map_url))),
        ]
        data = graph.graph_json(system, "both", 4, limit=300)
        served = client.get(map_url).json()
        print(f"map: {len(data['nodes'])} nodes, {len(data['edges'])} edges; API map: {len(served['nodes'])} nodes, "
              f"{len(served['edges'])} edges")
        out = Path(os.environ["IRTIS_DATA_DIR"]) / "systems_map.json"
        out.write_text(json.dumps(data))
        print(f"map JSON for benchmarks/systems_map_browser.py: {out}")
        start = time.perf_counter()
        print(f"edge index rebuilt from the records ({edges.rebuild()} edges) in {time.perf_counter() - start:.1f} s")
        for full, walk_only in ((0, 1), (2, 3), (6, 7)):  # a measurement and the bare CTE of its walk
            print(f"ratio {results[full]['label'].split(':')[0]} / bare CTE: "
                  f"{results[full]['median_ms'] / results[walk_only]['median_ms']:.2f}")
    finally:
        teardown_database()


if __name__ == "__main__":
    sys.exit(main())
