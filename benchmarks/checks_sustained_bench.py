"""Sustained checks per second through the real job chain (docs/performance.md, "Monitoring").

    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench_checks \\
        flock /tmp/irtis-bench.lock .venv/bin/python -u benchmarks/checks_sustained_bench.py --minutes 10
    IRTIS_TASKS=rq IRTIS_REDIS_URL=redis://127.0.0.1:6379/6 IRTIS_DATABASE_URL=… \\
        flock /tmp/irtis-bench.lock .venv/bin/python -u benchmarks/checks_sustained_bench.py --minutes 10 --workers 2

`--checks` checks (half TCP connects, half HTTP GETs with a keyword) every `--interval` seconds
against asyncio servers in another process on loopback, split over two network zones
(`default` and `bench`), so that two workers have two chains to run side by side. Nothing
here calls the runner: "Start the checks of every zone" is started once, and from then on the
`irtis worker` processes (`--workers`, on IRTIS_TASKS's engine: the embedded database queue or
RQ) run the zones' `run_checks` chains as in production — each batch probes the due checks,
writes their states, samples and state changes, and queues the zone's next run.

Figures over the last `--minutes` after a warm-up minute: checks done per second (samples
written), against the demand (checks / interval); how late the checks ran (share of the due
runs done); CPU seconds of the worker processes per check (user + system from /proc, the
servers' and the database's not counted).
"""

import argparse
import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from common import setup_database, teardown_database
from monitoring_bench import make_checks, serve

ROOT = Path(__file__).resolve().parents[1]
ZONES = ("default", "bench")
os.environ["IRTIS_TASK_QUEUES"] = ",".join(ZONES)


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process so far (its own threads; the worker forks nothing)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=6000)
    parser.add_argument("--interval", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=10, help="measured time, after a warm-up minute")
    parser.add_argument("--warm-up", type=float, default=60, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("IRTIS_TASKS", "database")
    vendor = setup_database()
    from django.conf import settings
    from django.utils import timezone

    from irtis.monitoring import jobs
    from irtis.monitoring.models import Sample, StateChange

    ports = multiprocessing.Array("i", 2)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, ready), daemon=True)
    server.start()
    ready.wait(10)
    workers: list[subprocess.Popen] = []
    try:
        if settings.IRTIS_TASKS == "rq":
            import django_rq

            for zone in ZONES:
                django_rq.get_queue(zone).empty()
        make_checks(args.checks, args.interval, list(ports), ZONES)
        env = {**os.environ, "IRTIS_DATABASE_URL": database_url(), "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true",
               "PYTHONPATH": str(ROOT)}
        workers = [subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"], env=env, cwd=ROOT)
                   for _ in range(args.workers)]
        load_before = open("/proc/loadavg").read().strip()
        jobs.start_checks.start()
        time.sleep(args.warm_up)
        began, cpu_began = timezone.now(), sum(cpu_seconds(w.pid) for w in workers)
        clock = time.perf_counter()
        time.sleep(args.minutes * 60)
        wall = time.perf_counter() - clock
        cpu = sum(cpu_seconds(w.pid) for w in workers) - cpu_began
        ended = began + dt.timedelta(seconds=wall)
        load_after = open("/proc/loadavg").read().strip()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(60)
        server.terminate()
    try:
        done = Sample.objects.filter(at__gte=began, at__lt=ended).count()
        failed = Sample.objects.filter(at__gte=began, at__lt=ended, ms__isnull=True).count()
        demand = args.checks / args.interval
        print(f"{settings.IRTIS_TASKS} engine, {args.workers} worker(s), {vendor}; {args.checks} checks every "
              f"{args.interval} s over zones {', '.join(ZONES)} (demand {demand:.0f}/s)")
        print(f"load before: {load_before}; after: {load_after}")
        print({"measured_s": round(wall, 1), "checks_done": done, "checks_per_s": round(done / wall, 1),
               "share_of_due_done": round(done / (demand * wall), 3), "without_answer": failed,
               "worker_cpu_s": round(cpu, 1), "cpu_ms_per_check": round(cpu / max(done, 1) * 1000, 3),
               "state_changes": StateChange.objects.count()})
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
