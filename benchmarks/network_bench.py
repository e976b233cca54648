"""Network measurements on the reference data set, side by side with NetBox 4.6.

    .venv/bin/python benchmarks/network_bench.py                    # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_netbench \\
        .venv/bin/python benchmarks/network_bench.py                # PostgreSQL

Uses the inventory part of the data set (devices and interfaces) when
`benchmarks/dataset_inventory.py` exists; otherwise the six sites only, and the 20,000
"assigned" addresses stay unassigned (the API list reads the interface id either way).
"""

import importlib.util
import random
import time
from pathlib import Path
from typing import Any

from common import api_client, check_ok, measure, setup_database, teardown_database
from dataset_network import generate, reference_sites

# NetBox 4.6 on PostgreSQL, same data (ms)
NETBOX = {"list": 449.0, "parent": 850.0}


def _inventory(rng: random.Random) -> bool:
    if importlib.util.find_spec("dataset_inventory") is None:
        reference_sites()
        return False
    module = importlib.import_module("dataset_inventory")
    module.generate(rng)
    return True


def main() -> None:
    vendor = setup_database()
    try:
        rng = random.Random(20260811)
        start = time.perf_counter()
        with_inventory = _inventory(rng)
        counts = generate(rng)
        print(f"database: {vendor}; inventory part: {with_inventory}; generated {counts} "
              f"in {time.perf_counter() - start:.1f} s")
        client = api_client()
        from irtis.network.models import Prefix

        slash16 = Prefix.objects.get(prefix="10.5.0.0/16").pk
        top = Prefix.objects.get(prefix="10.0.0.0/8")
        assert check_ok(client.get("/api/network/ip-addresses/?parent=10.2.0.0/16&limit=1")).json()["count"] == 10000
        assert check_ok(client.get("/api/network/ip-addresses/?q=10.1.&limit=1")).json()["count"] == 10000
        results: list[dict[str, Any]] = [
            measure("API list 1,000 IP addresses",
                    lambda: check_ok(client.get("/api/network/ip-addresses/?limit=1000"))),
            measure("API IPs within 10.2.0.0/16 (10,000), 1,000",
                    lambda: check_ok(client.get("/api/network/ip-addresses/?parent=10.2.0.0/16&limit=1000"))),
            measure("API ?q=10.1. (10,000), 1,000",
                    lambda: check_ok(client.get("/api/network/ip-addresses/?q=10.1.&limit=1000"))),
            measure("API first 10 free IPs of 10.5.0.0/16",
                    lambda: check_ok(client.get(f"/api/network/prefixes/{slash16}/available-ips/"))),
            measure("UI prefix list with utilisation (6)",
                    lambda: check_ok(client.get("/network/prefixes/"))),
            measure("UI prefix 10.0.0.0/8 with hierarchy panel",
                    lambda: check_ok(client.get(top.get_absolute_url()))),
        ]
        print()
        print("| measurement | irtis median (ms) | queries | NetBox 4.6 (ms) | ratio |")
        print("|---|---:|---:|---:|---:|")
        for result, key in zip(results, ["list", "parent", None, None, None, None], strict=True):
            netbox = NETBOX.get(key) if key else None
            ratio = f"{netbox / result['median_ms']:.0f}×" if netbox else "–"
            print(f"| {result['label']} | {result['median_ms']:.1f} | {result['queries']} | "
                  f"{netbox if netbox else '–'} | {ratio} |")
    finally:
        teardown_database()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
