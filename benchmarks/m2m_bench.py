"""Many-to-many fields in API lists: 1,000 components, each in 3 security zones with 2 tags.

The same list is read without many-to-many fields, with one (zones) and with two (zones and
tags): the same endpoint code given these fields only, in the same process; the three are
measured twice in turn, and the second round counts (the machine's speed drifts).

    .venv/bin/python benchmarks/m2m_bench.py                            # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/m2m_bench.py                        # PostgreSQL
"""

import time

from common import analyze, api_client, check_ok, measure, setup_database, teardown_database

COUNT = 1_000


def generate() -> None:
    from irtis.audit.context import changes_by
    from irtis.core import relations
    from irtis.core.bulk import save_objects
    from irtis.core.models import Tag
    from irtis.network.models import SecurityZone
    from irtis.systems.models import Component, InformationSystem

    with changes_by():
        zones = [SecurityZone(code=f"Z{i}", name=f"Zona {i}") for i in range(10)]
        tags = [Tag(name=f"Žyma {i}", slug=f"zyma-{i}") for i in range(10)]
        systems = [InformationSystem(code=f"IS{i:03}", name=f"Sistema {i}") for i in range(50)]
        for objects in (zones, tags, systems):
            save_objects(objects)
        components = [Component(system=systems[i % 50], name=f"Komponentas {i}", kind="application")
                      for i in range(COUNT)]
        save_objects(components)
        relations.assign(components, Component._meta.get_field("zones"),
                         [{zones[(i + k) % 10].pk for k in range(3)} for i in range(COUNT)])
        relations.assign(components, Component._meta.get_field("tags"),
                         [{tags[(i + k) % 10].pk for k in range(2)} for i in range(COUNT)])


def main() -> None:
    vendor = setup_database()
    try:
        start = time.perf_counter()
        generate()
        analyze()
        print(f"database: {vendor}; generated {COUNT} components with 5,000 links in "
              f"{time.perf_counter() - start:.1f} s")
        from django.test import RequestFactory

        from irtis.core.api import Endpoints
        from irtis.core.registry import entry_for
        from irtis.systems.models import Component

        client = api_client()
        url = "/api/systems/components/?limit=1000"
        rows = check_ok(client.get(url)).json()["results"]
        assert len(rows) == COUNT and all(len(r["zones"]) == 3 and len(r["tags"]) == 2 for r in rows)
        request = RequestFactory().get(url)
        request.user = _user()
        endpoints = {}
        for label, names in (("no many-to-many", ()), ("zones", ("zones__ids",)),
                             ("zones and tags", ("zones__ids", "tags__ids"))):
            endpoints[label] = Endpoints(entry_for(Component))
            endpoints[label].many_ids = {n: v for n, v in endpoints[label].many_ids.items() if n in names}
        assert "zones" not in endpoints["no many-to-many"].rows(Component.objects.all()[:1], brief=False)[0]
        for _round in range(2):
            times = {label: measure(f"endpoint, 1,000 rows, {label}", lambda e=e: e.listing(request, limit=1000))
                     for label, e in endpoints.items()}
        api = measure("API list 1,000 rows, zones and tags (HTTP)", lambda: check_ok(client.get(url)))
        plain = times["no many-to-many"]["median_ms"]
        for label in ("zones", "zones and tags"):
            print(f"{label} / none: {times[label]['median_ms'] / plain:.2f}×  (queries {times[label]['queries']})")
        print(f"queries over HTTP: {api['queries']}")
    finally:
        teardown_database()


def _user() -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench")


if __name__ == "__main__":
    main()
