"""Inventory measurements on the reference data set, side by side with NetBox 4.6.

    .venv/bin/python benchmarks/inventory_bench.py                  # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_invbench \\
        .venv/bin/python benchmarks/inventory_bench.py              # PostgreSQL

Generates the whole reference data set: the inventory part (dataset_inventory.py) and every
other part that exists (dataset_network.py, dataset_virtualization.py, in the seeded order),
then measures through Django's test client with a real API token.
"""

import csv
import importlib
import importlib.util
import io
import itertools
import random
import time
from typing import Any

from common import analyze, api_client, bare_floor, check_ok, measure, setup_database, teardown_database

# NetBox 4.6, same data (ms; bulk writes in s; import in rows/s)
NETBOX = {
    "API list 1,000 devices": 1130, "API list 1,000 devices, brief": 118, "API list 50 devices": 121,
    "API device detail (dev-05000)": 77, "API site-02 + role-03, 100 of 143": 136,
    "API list 1,000 IP addresses": 449, "API IPs within 10.2.0.0/16, 1,000": 850, "UI device list, 100 rows": 398,
    "Global search": 261, "API bulk create 100 devices": 4700, "API bulk update 100 devices": 2200,
}
NETBOX_ROWS_PER_S = 32
OTHER_PARTS = ("dataset_network", "dataset_virtualization")
IMPORT_ROWS = 10_000


def generate_all() -> list[str]:
    rng = random.Random(20260811)
    done = []
    for name in ("dataset_inventory", *OTHER_PARTS):
        if importlib.util.find_spec(name) is None:
            continue
        start = time.perf_counter()
        counts = importlib.import_module(name).generate(rng)
        print(f"{name}: {counts} in {time.perf_counter() - start:.1f} s")
        done.append(name)
    return done


def bulk_writes(client: Any, ids: dict[str, int], runs: int = 5) -> list[dict[str, Any]]:
    """Create 100 devices per request, PATCH each batch once, then delete the batches."""
    stamp = time.strftime("%H%M%S")
    counter = itertools.count()
    batches: list[list[int]] = []

    def create() -> None:
        batch = next(counter)
        payload = [{"name": f"bulk-{stamp}-{batch}-{k}", "hardware_model": ids["model"], "role": ids["role"],
                    "site": ids["site"], "rack": ids["rack"], "platform": ids["platform"], "status": "active"}
                   for k in range(100)]
        response = check_ok(client.post("/api/inventory/devices/", payload, content_type="application/json"), 201)
        batches.append([row["id"] for row in response.json()])

    pending = iter(range(10**6))

    def update() -> None:
        batch = batches[next(pending)]
        payload = [{"id": pk, "status": "planned", "description": f"bulk patch {pk}"} for pk in batch]
        check_ok(client.patch("/api/inventory/devices/", payload, content_type="application/json"))

    results = [measure("API bulk create 100 devices", create, runs=runs),
               measure("API bulk update 100 devices", update, runs=runs)]
    for batch in batches:
        check_ok(client.delete("/api/inventory/devices/", [{"id": pk} for pk in batch],
                               content_type="application/json"), 204)
    return results


def import_rows() -> float:
    """CSV import of 10,000 new devices through parse → plan_import → apply_plan; rows per second."""
    from django.contrib.auth import get_user_model

    from irtis.audit.context import changes_by
    from irtis.audit.models import Source
    from irtis.core.importfiles import parse
    from irtis.core.imports import apply_plan, plan_import
    from irtis.core.registry import entry_for
    from irtis.inventory.models import Device

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "site", "rack", "role", "hardware_model", "platform", "status", "serial",
                     "asset_number", "description"])
    for i in range(IMPORT_ROWS):
        rack = i % 40
        writer.writerow([f"imp-{i + 1:05}", f"site-{rack % 6 + 1:02}", f"rack-{rack + 1:02}", f"role-{i % 10 + 1:02}",
                         f"model-{i % 20 + 1:02}", f"platform-{i % 10 + 1:02}", "active", f"IMP{i:08x}",
                         f"IMP{i + 1:06}", f"imported device {i + 1}"])
    content = out.getvalue().encode()
    entry = entry_for(Device)
    start = time.perf_counter()
    rows = parse(content, "csv")
    parsed = time.perf_counter()
    plan = plan_import(entry, rows)
    planned = time.perf_counter()
    assert not plan.errors, plan.errors[:5]
    with changes_by(source=Source.IMPORT):
        apply_plan(plan, get_user_model().objects.get(username="bench"))
    done = time.perf_counter()
    rate = IMPORT_ROWS / (done - start)
    print(f"CSV import of {IMPORT_ROWS:,} devices: {done - start:.1f} s = {rate:,.0f} rows/s "
          f"(parse {parsed - start:.1f} s, validate {planned - parsed:.1f} s, write {done - planned:.1f} s)")
    return rate


def main() -> None:
    vendor = setup_database()
    try:
        parts = generate_all()
        analyze()
        from irtis.inventory.models import Device, DeviceRole, HardwareModel, Rack, Site, SoftwareVersion

        client = api_client()
        ids = {"site": Site.objects.get(code="site-02").pk, "role": DeviceRole.objects.get(name="role-03").pk,
               "rack": Rack.objects.get(name="rack-02").pk, "model": HardwareModel.objects.get(name="model-03").pk,
               "platform": SoftwareVersion.objects.get(name="platform-03").pk}
        from irtis.network.models import IPAddress

        detail = Device.objects.get(name="dev-05000").pk
        site_role = f"site={ids['site']}&role={ids['role']}&limit=100"
        assert check_ok(client.get(f"/api/inventory/devices/?{site_role}")).json()["count"] == 143
        # (label, API path, model and query of the same rows for the bare-SQL floor)
        reads = [
            ("API list 1,000 devices", "inventory/devices/", Device, "limit=1000"),
            ("API list 1,000 devices, brief", "inventory/devices/", Device, "limit=1000&brief=true"),
            ("API list 50 devices", "inventory/devices/", Device, "limit=50"),
            ("API device detail (dev-05000)", f"inventory/devices/{detail}/", Device, f"id={detail}&limit=1"),
            ("API site-02 + role-03, 100 of 143", "inventory/devices/", Device, site_role),
            ("API list 1,000 IP addresses", "network/ip-addresses/", IPAddress, "limit=1000"),
            ("API IPs within 10.2.0.0/16, 1,000", "network/ip-addresses/", IPAddress,
             "parent=10.2.0.0/16&limit=1000"),
        ]
        results, floors = [], {}
        for label, path, model, query in reads:
            url = f"/api/{path}" + ("" if path.endswith(f"{detail}/") else f"?{query}")
            results.append(measure(label, lambda url=url: check_ok(client.get(url))))
            floors[label] = measure("  floor: bare SQL + JSON", bare_floor(model, query, "brief" in query))
        # What every API request costs before it reads a row: routing, middleware, the token
        # check (a query) and the permission check; the request is refused as limit=0.
        fixed = measure("fixed cost: token checked, no rows read",
                        lambda: check_ok(client.get("/api/inventory/devices/?limit=0"), 400))
        results += [
            measure("UI device list, 100 rows", lambda: check_ok(client.get("/inventory/devices/?per_page=100"))),
            measure("Global search", lambda: check_ok(client.get("/search/?q=dev-05000"))),
            *bulk_writes(client, ids),
        ]
        rate = import_rows()
        print(f"\ndatabase: {vendor}; parts: {', '.join(parts)}\n")
        print(f"| {'measurement':<40} | irtis median | p95 | queries | NetBox 4.6 | NetBox / irtis | "
              "bare SQL + JSON | irtis / bare |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            netbox = NETBOX[r["label"]]
            floor = floors.get(r["label"])
            bare = f"{floor['median_ms']:.1f} ms | {r['median_ms'] / floor['median_ms']:.1f}×" if floor else "– | –"
            print(f"| {r['label']:<40} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['queries']} | "
                  f"{netbox:,} ms | {netbox / r['median_ms']:.1f}× | {bare} |")
        print(f"| fixed cost of an API request (token checked, nothing read) | {fixed['median_ms']:.1f} ms | "
              f"{fixed['p95_ms']:.1f} ms | {fixed['queries']} | | | | |")
        print(f"| CSV import 10,000 devices (rows/s) | {rate:,.0f} | | | {NETBOX_ROWS_PER_S} (one-by-one save) | "
              f"{rate / NETBOX_ROWS_PER_S:.0f}× |")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
