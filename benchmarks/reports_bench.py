"""Management report figures (docs/reports.md): the dashboard and the monthly report (PDF and DOCX)
over the benchmark estate.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/reports_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_mgmt \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/reports_bench.py         # PostgreSQL

The estate is security_bench's (systems_bench's 100,000 objects and 300,000 dependencies, with
software versions, prefixes, certificates, backup policies and snapshots, the security catalogues),
every control evaluated once, and for the last complete month (seeded random.Random(20261205)):
three outages of each of the 500 systems, 600 incidents each caused by a device, 8,000 service
desk requests, 400 contracts ending around it, 200 disk arrays' capacities, 13 address containers,
300 recommendations and 2,000 project tasks; and 400 days of daily capacity samples of every
cluster, disk array and address container (the demo's made-up history). Issue 17's target: the
monthly report < 10 s.
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal

import security_bench
import systems_bench
from common import analyze, api_client, check_ok, measure, setup_database, teardown_database

SEED = 20261205
OUTAGES, INCIDENTS, REQUESTS, CONTRACTS, RECOMMENDATIONS, TASKS = 3, 600, 8_000, 400, 300, 2_000


def month_overlay(rng: random.Random, first: dt.date, end: dt.date) -> dict[str, int]:
    """What the report reads of the month, on top of the estate (bulk writes, no audit entries)."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Device, StorageCapacity
    from irtis.monitoring.models import Incident, IncidentObject, SystemChange
    from irtis.network.models import Prefix
    from irtis.procurement.models import Contract, Supplier
    from irtis.projects.models import Project, ProjectTask
    from irtis.reports.models import Recommendation
    from irtis.servicedesk.models import Request
    from irtis.systems.models import InformationSystem

    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    seconds = int((timezone.make_aware(dt.datetime.combine(end, dt.time())) - start).total_seconds())

    def moment() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.randrange(seconds - 86_400))

    with transaction.atomic(), changes_by():
        systems = list(InformationSystem.objects.values_list("pk", flat=True))
        changes = []
        for pk in systems:
            changes.append(SystemChange(system_id=pk, at=start - dt.timedelta(days=2), state="up"))
            for at in sorted(moment() for _n in range(OUTAGES)):
                changes.append(SystemChange(system_id=pk, at=at, state="down"))
                changes.append(SystemChange(system_id=pk, at=at + dt.timedelta(seconds=rng.randint(1, 3600)),
                                            state="up"))
        SystemChange.objects.bulk_create(changes, batch_size=5000, ignore_conflicts=True)
        devices = list(Device.objects.filter(role__name="server").values_list("pk", flat=True)[:5000]) \
            or list(Device.objects.values_list("pk", flat=True)[:5000])
        device_type = ContentType.objects.get_for_model(Device)
        incidents = []
        for n in range(INCIDENTS):
            detected = moment()
            incidents.append(Incident(number=f"INC-B-{n:05}", title=f"Sutrikimas {n}",
                                      severity=rng.choice(Incident.Severity.values), detected_at=detected,
                                      resolved_at=detected + dt.timedelta(minutes=rng.randint(5, 600)),
                                      status="resolved", source="check"))
        Incident.objects.bulk_create(incidents)
        IncidentObject.objects.bulk_create([IncidentObject(incident=i, object_type=device_type,
                                                           object_id=rng.choice(devices), is_cause=True, down=False)
                                            for i in incidents])
        requests = []
        for n in range(REQUESTS):
            received = moment()
            solved = received + dt.timedelta(hours=rng.randint(1, 96)) if n % 10 else None
            requests.append(Request(subject=f"Kreipinys {n}", priority=rng.choice(("P1", "P2", "P3", "P4")),
                                    received_at=received, resolution_due=received + dt.timedelta(hours=48),
                                    resolved_at=solved, status="resolved" if solved else "new",
                                    rating=rng.randint(1, 5) if solved else None))
        Request.objects.bulk_create(requests, batch_size=2000)
        supplier = Supplier.objects.create(name="UAB „Bandymas“")
        Contract.objects.bulk_create([Contract(
            number=f"BS-{n:04}", supplier=supplier, subject=f"Priežiūra {n}", value=Decimal(1000), start=first
            - dt.timedelta(days=700), end=first + dt.timedelta(days=rng.randint(-60, 200)), notice_days=30)
            for n in range(CONTRACTS)])
        arrays = Device.objects.filter(role__name="array").values_list("pk", flat=True)
        StorageCapacity.objects.bulk_create([StorageCapacity(device_id=pk, raw_tb=Decimal(200), usable_tb=Decimal(160),
                                                             used_tb=Decimal(rng.randint(20, 160))) for pk in arrays])
        containers = []
        for n in range(13):
            made = Prefix(prefix=f"10.{n}.0.0/16", status="container")
            made._derive()
            containers.append(made)
        save_objects(containers)
        owner = get_user_model().objects.create_user("vadove")
        Recommendation.objects.bulk_create([Recommendation(
            title=f"Rekomendacija {n}", rationale="Pagal ataskaitą", owner=owner, raised_on=first,
            due=first + dt.timedelta(days=rng.randint(0, 120)), status=rng.choice(Recommendation.Status.values))
            for n in range(RECOMMENDATIONS)])
        project = Project.objects.create(code="P-BENCH", name="Bandymas", goal="Matuoti", start=first,
                                         end=end + dt.timedelta(days=365))
        ProjectTask.objects.bulk_create([ProjectTask(
            project=project, name=f"Užduotis {n}", responsible=owner, start=first,
            end=first + dt.timedelta(days=rng.randint(0, 60)), status=rng.choice(ProjectTask.Status.values))
            for n in range(TASKS)])
    return {"system changes": len(changes), "incidents": INCIDENTS, "requests": REQUESTS,
            "contracts": CONTRACTS, "arrays": len(arrays), "recommendations": RECOMMENDATIONS, "tasks": TASKS}


def main() -> None:
    vendor = setup_database()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"database: {vendor}; load average at start {' '.join(load)}; {os.cpu_count()} cores")
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from irtis.architecture import report
        from irtis.reports import document, periods, sections
        from irtis.reports.demo import history
        from irtis.reports.models import CapacitySample
        from irtis.security import run

        began = time.perf_counter()
        counts = systems_bench.generate(random.Random(systems_bench.SEED))
        security_bench.overlay(random.Random(security_bench.SEED))
        period = periods.last_complete("month", timezone.localdate())
        added = month_overlay(random.Random(SEED), period.first, period.end)
        history(timezone.localdate())  # a year of daily capacity samples, for the trends
        added["capacity samples"] = CapacitySample.objects.count()
        run.evaluate()
        print(f"estate: {counts['objects']} objects, {counts['dependencies']} dependencies; month {period.code}: "
              f"{added}; built in {time.perf_counter() - began:.0f} s")
        analyze()

        scope = sections.Scope(period, None, timezone.now())
        for read, _app, _name in sections.SECTIONS:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                part = read(scope)
                spent = time.perf_counter() - t
            print(f"  {read.__name__:<14} {1000 * spent:7.0f} ms  {len(ctx.captured_queries):3d} queries   "
                  f"{part.empty or part.facts[:2]}")

        now = timezone.now()
        parts = sections.collect(period, None, now)
        write = document.content(period, parts, now)
        measure("sections read (the report's data)", lambda: sections.collect(period, None, now), runs=3)
        measure("PDF written from them", lambda: report.write("pdf", document.title(period), write), runs=3)
        measure("DOCX written from them", lambda: report.write("docx", document.title(period), write), runs=3)
        total = measure("monthly report: sections + PDF + DOCX",
                        lambda: document.files(period, sections.collect(period, None, now), now), runs=3)
        made = document.files(period, parts, now)
        print(f"  sizes: PDF {len(made['pdf']) // 1024} KiB, DOCX {len(made['docx']) // 1024} KiB; "
              f"target < 10 s: {'met' if total['median_ms'] < 10_000 else 'MISSED'}")
        client = api_client()
        measure("dashboard page (in-process client)", lambda: check_ok(client.get("/reports/dashboard/")), runs=5)
        measure("report PDF download (in-process client)",
                lambda: check_ok(client.get(f"/reports/report/?period={period.code}&format=pdf")), runs=3)
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
