"""Monitoring figures (docs/performance.md, "Monitoring"): checks per second against loopback
targets, and the availability report of 500 systems over a year.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/monitoring_bench.py [--checks 2000] [--seconds 60]
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench_monitoring \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/monitoring_bench.py

Checks: half TCP connects, half HTTP GETs with a keyword, to servers in another process on
loopback; batches as the zone's job runs them (`runner.run_zone` in one transaction: probes,
state rows, samples), every check due each batch. The rate counts checks probed and recorded;
CPU is this process's (the servers' is not counted).

Availability: 500 systems with 200 outages each over 365 days (200,000 state changes), the
report of all of them for the year, and one system's 90-day strip; then again with half of the
systems on a working-hours SLA (Mon–Fri 08:00–17:00 Europe/Vilnius, Lithuanian public holidays
left out). `--only availability` skips the checks.
"""

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import random
import time
from typing import Any

from common import setup_database, teardown_database


def serve(ports: Any, ready: Any) -> None:
    """A TCP and an HTTP server on loopback, in their own process."""

    async def on_tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    async def on_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nirtis OK\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def main() -> None:
        tcp = await asyncio.start_server(on_tcp, "127.0.0.1", 0, backlog=4096)
        http = await asyncio.start_server(on_http, "127.0.0.1", 0, backlog=4096)
        ports[0], ports[1] = tcp.sockets[0].getsockname()[1], http.sockets[0].getsockname()[1]
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def make_checks(count: int, interval: int, ports: list[int], zones: tuple[str, ...] = ("default",)) -> None:
    """`count` checks of one device, half TCP, half HTTP with a keyword, against `serve`'s ports;
    pairs of them spread over `zones`."""
    from django.contrib.contenttypes.models import ContentType

    from irtis.core.bulk import save_objects
    from irtis.inventory.models import Device, DeviceRole, HardwareModel, Manufacturer, Site
    from irtis.monitoring.models import Check

    site = Site.objects.create(code="B", name="B", kind="datacentre")
    maker = Manufacturer.objects.create(name="M")
    device = Device.objects.create(name="target", site=site, role=DeviceRole.objects.create(name="R"),
                                   hardware_model=HardwareModel.objects.create(name="H", manufacturer=maker))
    kind = ContentType.objects.get_for_model(Device)
    made = []
    for n in range(count):
        values = ({"kind": "tcp", "host": "127.0.0.1", "port": ports[0]} if n % 2 else
                  {"kind": "http", "url": f"http://127.0.0.1:{ports[1]}/health", "keyword": "irtis OK"})
        made.append(Check(name=f"c{n}", interval=interval, timeout=5, retries=0, target_type=kind,
                          target_id=device.pk, zone=zones[(n // 2) % len(zones)], **values))
    save_objects(made)


def checks_per_second(count: int, seconds: float) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from irtis.monitoring import runner
    from irtis.monitoring.models import Sample, StateChange

    ports = multiprocessing.Array("i", 2)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, ready), daemon=True)
    server.start()
    ready.wait(10)
    make_checks(count, 10, list(ports))
    checked, batches = 0, 0
    cpu, start = time.process_time(), time.perf_counter()
    while time.perf_counter() - start < seconds:
        with transaction.atomic():  # as the job runs it
            outcome = runner.run_zone("default", now=timezone.now() + dt.timedelta(hours=batches + 1))
        checked += outcome.checked
        batches += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    server.terminate()
    down = StateChange.objects.exclude(state="up").count()
    return {"checks": count, "batches": batches, "checked": checked, "seconds": round(wall, 1),
            "checks_per_s": round(checked / wall), "cpu_ms_per_check": round(cpu / checked * 1000, 3),
            "state_changes": StateChange.objects.count(), "not_up": down, "samples": Sample.objects.count()}


def availability_report(systems: int = 500, outages: int = 200) -> dict[str, float]:
    from common import analyze
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from irtis.monitoring import availability, summary
    from irtis.monitoring.models import ServiceLevel, SystemChange
    from irtis.systems.models import InformationSystem

    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=365)
    made = InformationSystem.objects.bulk_create(
        [InformationSystem(code=f"S{n:03d}", name=f"Sistema {n}") for n in range(systems)])
    rng = random.Random(1)
    rows = []
    for system in made:
        rows.append(SystemChange(system=system, at=start - dt.timedelta(days=1), state="up"))
        for moment in sorted(rng.sample(range(60, 365 * 86400 - 3600, 60), outages)):
            at = start + dt.timedelta(seconds=moment)
            rows.append(SystemChange(system=system, at=at, state="down"))
            rows.append(SystemChange(system=system, at=at + dt.timedelta(seconds=rng.randint(60, 1800)), state="up"))
    SystemChange.objects.bulk_create(rows, batch_size=5000)
    analyze()
    ids = [s.pk for s in made]

    cpu: list[float] = []  # this process's CPU (on SQLite the whole cost; the load does not inflate it)

    def report() -> tuple[float, int, dict[int, Any]]:
        timings, cpus = [], []
        for _n in range(5):
            began, began_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as ctx:
                found = availability.availability(ids, start, end, now=end)
            timings.append(time.perf_counter() - began)
            cpus.append(time.process_time() - began_cpu)
        cpu.append(min(cpus))
        return min(timings), len(ctx.captured_queries), found

    def panel() -> float:
        """A system page's availability panel: summary, 90-day strip and service level."""
        panels = []
        for _n in range(5):
            began = time.perf_counter()
            summary.panel(made[0], end)
            panels.append(time.perf_counter() - began)
        return min(panels)

    always, queries, found = report()
    always_panel = panel()
    mean = sum(m.percent or 0 for m in found.values()) / len(found)
    ServiceLevel.objects.bulk_create([ServiceLevel(system=s, hours="working") for s in made[::2]])
    working, working_queries, _found = report()
    return {"systems": systems, "changes": len(rows), "report_s": round(always, 3), "report_queries": queries,
            "panel_ms": round(always_panel * 1000, 1), "mean_availability": round(mean, 3),
            "half_working_hours_report_s": round(working, 3), "half_working_hours_queries": working_queries,
            "working_hours_panel_ms": round(panel() * 1000, 1), "report_cpu_s": round(cpu[0], 3),
            "half_working_hours_cpu_s": round(cpu[1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--systems", type=int, default=500)
    parser.add_argument("--only", choices=["checks", "availability"])
    args = parser.parse_args()
    vendor = setup_database()
    try:
        print(f"database: {vendor}; load before: {open('/proc/loadavg').read().strip()}")
        if args.only != "availability":
            print("checks:", checks_per_second(args.checks, args.seconds))
        if args.only == "checks":
            return
        print("availability:", availability_report(args.systems))
        print(f"load after: {open('/proc/loadavg').read().strip()}")
    finally:
        teardown_database()


if __name__ == "__main__":
    os.environ.setdefault("IRTIS_TASKS", "database")
    main()
