"""Background task figures: trivial jobs per second through real workers, and enqueue-to-start
latency (docs/performance.md, "Background tasks").

    .venv/bin/python benchmarks/tasks_bench.py                          # embedded queue, SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/tasks_bench.py                      # embedded queue, PostgreSQL
    IRTIS_TASKS=rq IRTIS_REDIS_URL=redis://127.0.0.1:6379/8 … tasks_bench.py   # RQ on Redis

Rates come from the runs' own timestamps: from the first start to the last finish.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import django
from common import setup_database, teardown_database

django.setup()  # before the job below: the workers import this module to find it

from irtis.tasks.runs import job  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@job(label="noop")
def noop(run: Any) -> None:
    """The trivial job: all its cost is the engine's and the run's bookkeeping."""


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def wait_done(count: int, timeout: float = 600) -> None:
    from irtis.tasks.models import Run, Status

    deadline = time.monotonic() + timeout
    while Run.objects.filter(status=Status.DONE).count() < count:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not finish in time")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--latency-samples", type=int, default=30)
    args = parser.parse_args()
    vendor = setup_database()
    from django.conf import settings

    from irtis.tasks.models import Run

    if settings.IRTIS_TASKS == "rq":
        import django_rq

        django_rq.get_queue("default").empty()
    env = {**os.environ, "IRTIS_DATABASE_URL": database_url(),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")])}
    workers = [subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"], env=env, cwd=ROOT)
               for _ in range(args.workers)]
    from tasks_bench import noop as job_by_path  # named tasks_bench.noop, not __main__.noop

    try:
        job_by_path.start()
        wait_done(1)  # the workers are up
        Run.objects.all().delete()
        latencies = []
        for n in range(args.latency_samples):
            run = job_by_path.start()
            wait_done(n + 1)
            run.refresh_from_db()
            latencies.append((run.started_at - run.enqueued_at).total_seconds() * 1000)
            time.sleep(0.1)
        Run.objects.all().delete()
        began = time.perf_counter()
        for _ in range(args.jobs):
            job_by_path.start()
        enqueued = time.perf_counter() - began
        wait_done(args.jobs)
        runs = Run.objects.all()
        first = min(r.started_at for r in runs)
        last = max(r.finished_at for r in runs)
        rate = args.jobs / (last - first).total_seconds()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        teardown_database()
    latencies.sort()
    print(f"{settings.IRTIS_TASKS} on {vendor}, {args.workers} workers, {args.jobs} trivial jobs")
    print(f"  enqueued     {args.jobs / enqueued:8.0f} jobs/s (one start() each, run row and engine)")
    print(f"  worked off   {rate:8.0f} jobs/s (first start to last finish)")
    print(f"  enqueue-to-start latency: median {statistics.median(latencies):.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms ({len(latencies)} single jobs, idle workers)")


if __name__ == "__main__":
    main()
