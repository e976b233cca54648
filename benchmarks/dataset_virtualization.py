"""The virtualisation part of the reference data set (/work/shared/benchmark-dataset.md).

    cluster type      1  Hypervisor
    cluster           5  cluster-1..cluster-5, status active, site site-01..site-05
    virtual machine 500  vm-0001..vm-0500; cluster (i % 5) + 1; status active;
                         platform (i % 10) → operating system; vcpus 2/4/8, memory
                         4096/8192/16384 MB, disk 50/100/200 GB by i % 3; "reference vm N"

NetBox's VM `role` (a device role) has no counterpart in irtis and is left out; `site` is the
cluster's. The part draws nothing from the seeded random, so it may run at any point of the
inventory generator. It needs the reference sites (site-01..) and, when present, platforms
(software versions named platform-01..) — both from the inventory part; run alone it creates
the five sites it needs.

    .venv/bin/python benchmarks/dataset_virtualization.py    # alone: generate and measure
"""

import random
import time
from typing import Any

from common import api_client, check_ok, measure, setup_database, teardown_database

CLUSTERS = 5
MACHINES = 500
VCPUS = (2, 4, 8)
MEMORY_MB = (4096, 8192, 16384)
DISK_GB = (50, 100, 200)


def generate(rng: random.Random | None = None) -> dict[str, int]:
    """Write the cluster type, clusters and virtual machines with bulk SQL; returns counts."""
    from django.db.models import Q

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Site, SoftwareVersion
    from irtis.virtualization.models import Cluster, ClusterType, VirtualMachine

    del rng  # nothing here is random
    wanted = [f"site-{n:02}" for n in range(1, CLUSTERS + 1)]
    sites = {}
    for site in Site.objects.filter(Q(code__in=wanted) | Q(name__in=wanted)):
        sites[site.code if site.code in wanted else site.name] = site
    platforms = {v.name: v for v in SoftwareVersion.objects.filter(name__startswith="platform-")}
    with changes_by():
        kind = ClusterType(name="Hypervisor")
        save_objects([kind])
        clusters = [
            Cluster(
                name=f"cluster-{n}",
                type=kind,
                site=sites[f"site-{n:02}"],
                status=Cluster.Status.ACTIVE,
            )
            for n in range(1, CLUSTERS + 1)
        ]
        save_objects(clusters)
        machines = [
            VirtualMachine(
                name=f"vm-{i + 1:04}",
                cluster=clusters[i % CLUSTERS],
                status=VirtualMachine.Status.ACTIVE,
                operating_system=platforms.get(f"platform-{i % 10 + 1:02}"),
                vcpus=VCPUS[i % 3],
                memory_mb=MEMORY_MB[i % 3],
                disk_gb=DISK_GB[i % 3],
                description=f"reference vm {i + 1}",
            )
            for i in range(MACHINES)
        ]
        save_objects(machines)
    return {"cluster type": 1, "cluster": CLUSTERS, "virtual machine": MACHINES}


def _reference_sites() -> None:
    """The sites the part stands on, when run without the inventory part."""
    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Site

    with changes_by():
        save_objects(
            [
                Site(
                    code=f"site-{n:02}",
                    name=f"site-{n:02}",
                    kind=Site.Kind.DATA_CENTRE,
                    description=f"reference site {n}",
                )
                for n in range(1, 7)
            ]
        )


def main() -> None:
    vendor = setup_database()
    try:
        _reference_sites()
        start = time.perf_counter()
        counts = generate(random.Random(20260811))
        print(f"database: {vendor}; generated {counts} in {time.perf_counter() - start:.2f} s")
        client = api_client()
        from irtis.virtualization.models import Cluster, ClusterType

        kind = ClusterType.objects.get(name="Hypervisor")
        third = Cluster.objects.get(name="cluster-3").pk
        results: list[dict[str, Any]] = [
            measure(
                "API list 500 VMs",
                lambda: check_ok(client.get("/api/virtualization/virtual-machines/?limit=500")),
            ),
            measure(
                "API VMs of cluster-3, 100",
                lambda: check_ok(
                    client.get(f"/api/virtualization/virtual-machines/?cluster={third}&limit=100")
                ),
            ),
            measure(
                "UI list of 100 VMs",
                lambda: check_ok(client.get("/virtualization/virtual-machines/?per_page=100")),
            ),
            measure(
                "UI cluster type with capacity of 5 clusters",
                lambda: check_ok(client.get(kind.get_absolute_url())),
            ),
        ]
        del results
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
