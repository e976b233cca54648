"""Platform baseline: 10,000 sites and 10,000 locations; API, pages, import and search.

    .venv/bin/python benchmarks/platform_bench.py                       # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \
        .venv/bin/python benchmarks/platform_bench.py                   # PostgreSQL
"""

import time

from common import api_client, bare_floor, check_ok, measure, setup_database, teardown_database

COUNT = 10_000


def generate() -> None:
    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Location, Site

    kinds = [k for k, _ in Site.Kind.choices]
    with changes_by():
        sites = [Site(code=f"S{i:05}", name=f"Vieta {i} Šalčininkų g.", kind=kinds[i % len(kinds)],
                      city=["Vilnius", "Kaunas", "Klaipėda", "Šiauliai"][i % 4]) for i in range(COUNT)]
        save_objects(sites)
        save_objects([Location(site=sites[i], code=f"L{i:05}", name=f"Patalpa {i}") for i in range(COUNT)])


def import_rows(n: int) -> float:
    """CSV import of `n` new locations through the import code path; returns rows/s."""
    from django.contrib.auth import get_user_model

    from irtis.audit.context import changes_by
    from irtis.core.importfiles import parse
    from irtis.core.imports import apply_plan, plan_import
    from irtis.core.registry import entry_for
    from irtis.inventory.models import Location

    lines = ["code,name,site,kind"] + [f"IMP{i:05},Importuota patalpa {i},S{i:05},room" for i in range(n)]
    content = "\n".join(lines).encode()
    start = time.perf_counter()
    with changes_by():
        plan = plan_import(entry_for(Location), parse(content, "csv"))
        assert not plan.errors, plan.errors[:3]
        apply_plan(plan, get_user_model().objects.get(username="bench"))
    return n / (time.perf_counter() - start)


def main() -> None:
    vendor = setup_database()
    try:
        start = time.perf_counter()
        generate()
        print(f"database: {vendor}; generated {2 * COUNT} objects in {time.perf_counter() - start:.1f} s")
        client = api_client()
        from irtis.inventory.models import Site

        site = Site.objects.get(code="S05000")
        check_ok(client.get(f"/api/inventory/sites/{site.pk}/"))  # the process's first request fills caches
        floor = measure("bare SQL + JSON, 1,000 sites", bare_floor(Site, "limit=1000"))
        api = measure("API list 1,000 sites", lambda: check_ok(client.get("/api/inventory/sites/?limit=1000")))
        measure("API list 1,000 sites, brief", lambda: check_ok(client.get("/api/inventory/sites/?limit=1000&brief=1")))
        measure("API list 1,000 locations", lambda: check_ok(client.get("/api/inventory/locations/?limit=1000")))
        measure("API site detail", lambda: check_ok(client.get(f"/api/inventory/sites/{site.pk}/")))
        measure("API sites filtered (kind, city), 100", lambda: check_ok(
            client.get("/api/inventory/sites/?kind=seaport&city=Kaunas&limit=100")))
        measure("UI list of 100 sites", lambda: check_ok(client.get("/inventory/sites/?per_page=100")))
        measure("UI list of 100 locations", lambda: check_ok(client.get("/inventory/locations/?per_page=100")))
        measure("UI site detail", lambda: check_ok(client.get(f"/inventory/sites/{site.pk}/")))
        measure("global search 'salcininku 500'", lambda: check_ok(client.get("/search/?q=salcininku+500")))
        measure("API q=šalčininkų 77", lambda: check_ok(client.get("/api/inventory/sites/?q=šalčininkų+77")))
        print(f"API list / bare SQL+JSON ratio: {api['median_ms'] / floor['median_ms']:.2f}")
        print(f"CSV import of {COUNT} locations: {import_rows(COUNT):,.0f} rows/s (validated, audited, indexed)")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
