"""Analysis of firewall rules against approved flows (docs/flows.md): 10,000 rules on ten
firewalls against 2,000 flows between 40 zones of ten /24 prefixes each.

    .venv/bin/python benchmarks/flows_bench.py                       # SQLite, a throw-away test database
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench .venv/bin/python benchmarks/flows_bench.py

Creates and destroys its own test database (`test_<name>`).
"""

import datetime as dt
import random
import statistics
import time

from common import analyze, setup_database, teardown_database

RULES, FLOWS, ZONES, PREFIXES = 10_000, 2_000, 40, 10


def main() -> None:
    vendor = setup_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from irtis.core import bulk
    from irtis.flows import analysis
    from irtis.flows.models import Firewall, FirewallRule, Flow, FlowStatus
    from irtis.network.models import Prefix, SecurityZone

    pick = random.Random(14)
    zones = [SecurityZone(code=f"Z{z}", name=f"Zona {z}") for z in range(ZONES)]
    bulk.save_objects(zones)
    prefixes = [Prefix(prefix=f"10.{z}.{p}.0/24", zone=zones[z]) for z in range(ZONES) for p in range(PREFIXES)]
    for prefix in prefixes:  # Prefix derives its keys and parent on save
        prefix.full_clean()
        prefix.save()
    review = dt.date.today() + dt.timedelta(days=90)
    flows = []
    for n in range(FLOWS):
        source, target = pick.randrange(ZONES), pick.randrange(ZONES)
        port = 1000 + pick.randrange(500) * 10
        flows.append(Flow(name=f"Srautas {n}", source_zone=zones[source], destination_zone=zones[target],
                          from_zone=zones[source], to_zone=zones[target], protocol="tcp",
                          ports=f"{port}-{port + 9}", purpose="bandymas", review_by=review,
                          status=FlowStatus.APPROVED))
    bulk.save_objects(flows)
    firewalls = [Firewall(name=f"fw-{n}") for n in range(10)]
    bulk.save_objects(firewalls)
    rules = []
    for n in range(RULES):
        flow = flows[pick.randrange(FLOWS)]
        explained = n % 2 == 0  # half inside an approved flow, half outside every one
        source_zone = int(flow.source_zone.code[1:])
        target_zone = int(flow.destination_zone.code[1:])
        port = int(flow.ports.split("-")[0]) + (0 if explained else 5000)
        rules.append(FirewallRule(
            firewall=firewalls[n % 10], position=n, name=f"r{n}", action="allow", protocol="tcp",
            source=f"10.{source_zone}.{pick.randrange(PREFIXES)}.{pick.randrange(4) * 64}/26",
            destination=f"10.{target_zone}.{pick.randrange(PREFIXES)}.0/24", ports=str(port)))
    bulk.save_objects(rules)
    analyze()

    times, found, queries = [], 0, 0
    for _run in range(5):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            found = len(analysis.unexplained())
            times.append(time.perf_counter() - start)
        queries = len(captured)
    print(f"{vendor}: {RULES} rules, {FLOWS} flows: {found} unexplained; analysis median "
          f"{statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}), {queries} queries")
    teardown_database()


if __name__ == "__main__":
    main()
