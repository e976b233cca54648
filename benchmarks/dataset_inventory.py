"""The inventory part of the reference data set (/work/shared/benchmark-dataset.md).

    site            6  site-01..site-06 (code = name), data centre, "reference site N"
    rack           40  rack-01..rack-40, 42U, active; rack k at site (k % 6)
    manufacturer    5  vendor-1..vendor-5
    hardware model 20  model-01..model-20, 1U, PN-0001.., vendor-((n-1) % 5 + 1)   (NetBox device type)
    device role    10  role-01..role-10, colours from a fixed list
    platform       10  software product + version "platform-01".. (operating system),
                       vendor-((n-1) % 5 + 1)                                        (NetBox platform)
    device     10,000  dev-00001..dev-10000; rack i % 40, that rack's site; the first 40 per rack
                       at U1..U40 front; model i % 20; role (i // 7) % 10; platform (i % 20) % 10;
                       seeded status active 90 / planned 5 / maintenance 3 (NetBox offline) /
                       planned 2 (NetBox staged); serial "SN" + 8 seeded hex; asset AT000001..
    interface  20,000  eth0 (1000base-t, MTU 1500), eth1 (10gbase-x-sfpp, MTU 9000) per device,
                       enabled, "<device> port 0|1"

Seeded draws, in device order: status, then serial. Written with `core.bulk.save_objects` (bulk
SQL, an audit entry and a search-index row per object), as an import writes them. The network
and virtualisation parts (dataset_network.py, dataset_virtualization.py) build on this one.

    .venv/bin/python benchmarks/dataset_inventory.py     # alone: generate and print the counts
"""

import random
import time
from typing import Any

from common import setup_database, teardown_database

SITES, RACKS, VENDORS, MODELS, ROLES, PLATFORMS = 6, 40, 5, 20, 10, 10
DEVICES = 10_000
UNITS_USED = 40
COLOURS = ["#aa1409", "#f44336", "#e91e63", "#ffe4e1", "#ff66ff", "#9c27b0", "#673ab7", "#3f51b5", "#2196f3",
           "#03a9f4"]
# NetBox status → irtis lifecycle status
STATUSES = (("active", 90), ("planned", 5), ("maintenance", 3), ("planned", 2))


def generate(rng: random.Random | None = None) -> dict[str, int]:
    """Write the inventory part with bulk SQL; returns the counts."""
    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import (
        Device,
        DeviceRole,
        HardwareModel,
        Interface,
        Manufacturer,
        Rack,
        Site,
        SoftwareProduct,
        SoftwareVersion,
    )

    rng = rng or random.Random(20260811)
    names, weights = zip(*STATUSES, strict=True)
    with changes_by():
        sites = [Site(code=f"site-{n:02}", name=f"site-{n:02}", kind=Site.Kind.DATA_CENTRE,
                      description=f"reference site {n}") for n in range(1, SITES + 1)]
        save_objects(sites)
        racks = [Rack(name=f"rack-{k + 1:02}", site=sites[k % SITES], u_height=42) for k in range(RACKS)]
        save_objects(racks)
        vendors = [Manufacturer(name=f"vendor-{n}") for n in range(1, VENDORS + 1)]
        save_objects(vendors)
        models = [HardwareModel(name=f"model-{n:02}", manufacturer=vendors[(n - 1) % VENDORS], u_height=1,
                                part_number=f"PN-{n:04}") for n in range(1, MODELS + 1)]
        save_objects(models)
        roles = [DeviceRole(name=f"role-{n:02}", color=COLOURS[n - 1]) for n in range(1, ROLES + 1)]
        save_objects(roles)
        products = [SoftwareProduct(name=f"platform-{n:02}", manufacturer=vendors[(n - 1) % VENDORS],
                                    kind=SoftwareProduct.Kind.OPERATING_SYSTEM) for n in range(1, PLATFORMS + 1)]
        save_objects(products)
        platforms = [SoftwareVersion(product=p, number="1", name=p.name) for p in products]
        save_objects(platforms)
        devices = []
        for i in range(DEVICES):
            status = rng.choices(names, weights=weights)[0]
            serial = f"SN{rng.getrandbits(32):08x}"
            slot = i // RACKS
            devices.append(Device(
                name=f"dev-{i + 1:05}", rack=racks[i % RACKS], site=racks[i % RACKS].site,
                position=slot + 1 if slot < UNITS_USED else None, face="front" if slot < UNITS_USED else "",
                hardware_model=models[i % MODELS], role=roles[(i // 7) % ROLES],
                platform=platforms[(i % MODELS) % PLATFORMS], status=status, serial=serial,
                asset_number=f"AT{i + 1:06}", description=f"reference device {i + 1}",
            ))
        for start in range(0, DEVICES, 5000):
            save_objects(devices[start:start + 5000])
        ports: list[Any] = []
        for device in devices:
            ports.append(Interface(device=device, name="eth0", type="1000base-t", mtu=1500,
                                   description=f"{device.name} port 0"))
            ports.append(Interface(device=device, name="eth1", type="10gbase-x-sfpp", mtu=9000,
                                   description=f"{device.name} port 1"))
        for start in range(0, len(ports), 5000):
            save_objects(ports[start:start + 5000])
    return {"site": SITES, "rack": RACKS, "manufacturer": VENDORS, "hardware model": MODELS, "device role": ROLES,
            "platform": PLATFORMS, "device": DEVICES, "interface": len(ports)}


def main() -> None:
    vendor = setup_database()
    try:
        start = time.perf_counter()
        counts = generate(random.Random(20260811))
        print(f"database: {vendor}; generated {counts} in {time.perf_counter() - start:.1f} s")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
