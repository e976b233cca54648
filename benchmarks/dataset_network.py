"""The network part of the reference data set (/work/shared/benchmark-dataset.md).

    prefix          6  10.0.0.0/8 container; 10.1.0.0/16 .. 10.5.0.0/16 active; global table
    IP address 50,000  address j: P = j // 10000 + 1, h = j % 10000 + 1,
                       10.P.(h // 256).(h % 256)/16 (10,000 per /16);
                       j < 20,000: assigned to interface j (device order, eth0 then eth1),
                         active, dns_name "<device>-<iface>.example.net";
                       j >= 20,000: unassigned, seeded status active 70 % / reserved 20 % /
                         deprecated 10 %, dns_name "host-<j>.example.net" when j % 3 == 0,
                         description "reference address <j>"
    VLAN           50  VID 100..149, name VLAN0100..VLAN0149, site = site (i % 6), active

Written with the platform's bulk path (`core.bulk.save_objects`: bulk SQL, one audit entry per
object, search index rows), as an import would. The statuses are the only seeded draws, in j
order after the inventory part's. Interfaces come from the inventory part when it ran first
(`dev-00001 eth0` …); alone, the addresses stay unassigned and the sites are created here.

    .venv/bin/python benchmarks/dataset_network.py     # alone: generate and print the counts
"""

import random
import time
from typing import Any

from common import setup_database, teardown_database

PREFIXES = ["10.0.0.0/8", *[f"10.{p}.0.0/16" for p in range(1, 6)]]
ADDRESSES = 50_000
ASSIGNED = 20_000
VLANS = 50
STATUSES = (("active", 70), ("reserved", 20), ("deprecated", 10))


def address_text(j: int) -> str:
    p, h = j // 10000 + 1, j % 10000 + 1
    return f"10.{p}.{h // 256}.{h % 256}/16"


def generate(rng: random.Random | None = None) -> dict[str, int]:
    """Write the prefixes, VLANs and IP addresses with bulk SQL; returns counts."""
    from django.db.models import Q

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Interface, Site
    from irtis.network.models import VLAN, IPAddress, Prefix

    rng = rng or random.Random(20260811)
    wanted = [f"site-{n:02}" for n in range(1, 7)]
    sites = {}
    for site in Site.objects.filter(Q(code__in=wanted) | Q(name__in=wanted)):
        sites[site.code if site.code in wanted else site.name] = site
    interfaces = list(
        Interface.objects.filter(device__name__startswith="dev-")
        .order_by("device__name", "name")
        .values_list("pk", "device__name", "name")[:ASSIGNED]
    )
    names, values = zip(*STATUSES, strict=True)
    with changes_by():
        prefixes = [
            Prefix(prefix=text, status="container" if n == 0 else "active") for n, text in enumerate(PREFIXES)
        ]
        for obj in prefixes:
            obj._derive()
        save_objects(prefixes)
        save_objects(
            [
                VLAN(vid=100 + i, name=f"VLAN{100 + i:04}", site=sites.get(f"site-{i % 6 + 1:02}"), status="active")
                for i in range(VLANS)
            ]
        )
        batch: list[Any] = []
        for j in range(ADDRESSES):
            obj = IPAddress(address=address_text(j))
            if j < ASSIGNED:
                if j < len(interfaces):
                    pk, device, name = interfaces[j]
                    obj.interface_id = pk
                else:
                    device, name = f"dev-{j // 2 + 1:05}", f"eth{j % 2}"
                obj.status, obj.dns_name = "active", f"{device}-{name}.example.net"
            else:
                obj.status = rng.choices(names, weights=values)[0]
                obj.dns_name = f"host-{j}.example.net" if j % 3 == 0 else ""
                obj.description = f"reference address {j}"
            obj._derive()
            batch.append(obj)
            if len(batch) == 5000:
                save_objects(batch)
                batch = []
        save_objects(batch)
    return {
        "prefix": len(PREFIXES),
        "VLAN": VLANS,
        "IP address": ADDRESSES,
        "assigned to interfaces": min(ASSIGNED, len(interfaces)),
    }


def reference_sites() -> None:
    """The six sites the VLANs stand on, when run without the inventory part."""
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
        reference_sites()
        start = time.perf_counter()
        counts = generate(random.Random(20260811))
        print(f"database: {vendor}; generated {counts} in {time.perf_counter() - start:.1f} s")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
