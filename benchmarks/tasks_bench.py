"""Background task figures: trivial tasks per second and enqueue-to-start latency
(docs/performance.md, "Background tasks").

    .venv/bin/python benchmarks/tasks_bench.py                          # embedded queue, SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/tasks_bench.py                      # embedded queue, PostgreSQL
    IRTIS_TASKS=rq IRTIS_REDIS_URL=redis://127.0.0.1:6379/8 … tasks_bench.py   # RQ on Redis

Three figures per engine:
- a bare Tasks-API task (`@task`, the engine alone: irtis's run signals disconnected), enqueued
  one by one, then worked off by one worker in this process;
- a full job (`@job`: a `Run` row beside the engine's entry), `start()`ed one by one while the
  workers are stopped, then worked off by real `irtis worker` processes; rate from the runs' own
  timestamps (first start to last finish);
- latency: single jobs on idle workers (`started_at − enqueued_at`).
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

django.setup()  # before the tasks below: the workers import this module to find them

from django_tasks import task  # noqa: E402

from irtis.tasks.runs import job  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@job(label="noop")
def noop(run: Any) -> None:
    """The trivial job: all its cost is the engine's and the run's bookkeeping."""


@task()
def bare() -> None:
    """The trivial task of the Tasks API, without a run."""


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


def start_workers(count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "IRTIS_DATABASE_URL": database_url(),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")])}
    return [subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"], env=env, cwd=ROOT) for _ in range(count)]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(30)


def measure_bare(count: int) -> tuple[float, float]:
    """Enqueue and work-off rates of `count` bare tasks, one worker in this process."""
    from django.conf import settings
    from django_tasks.signals import task_enqueued, task_finished, task_started

    from irtis.tasks import signals

    for signal, receiver in ((task_enqueued, signals.enqueued), (task_started, signals.started),
                             (task_finished, signals.finished)):
        signal.disconnect(receiver)
    from tasks_bench import bare as by_path  # named tasks_bench.bare, not __main__.bare

    began = time.perf_counter()
    for _ in range(count):
        by_path.enqueue()
    enqueued = count / (time.perf_counter() - began)
    began = time.perf_counter()
    if settings.IRTIS_TASKS == "rq":
        import django_rq
        from django_tasks_rq.backend import Job
        from rq.worker import SimpleWorker

        worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)  # type: ignore[arg-type]
        worker.work(burst=True, logging_level="WARNING")
    else:
        from irtis.tasks.worker import DatabaseWorker

        DatabaseWorker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                       max_tasks=None, worker_id="bench", excluded_queue_names=[]).run()
    return enqueued, count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="irtis worker processes (default: 1 on SQLite, 2 otherwise)")
    parser.add_argument("--latency-samples", type=int, default=30)
    args = parser.parse_args()
    vendor = setup_database()
    from django.conf import settings

    from irtis.tasks.models import Run

    workers_count = args.workers or (1 if vendor == "sqlite" else 2)
    if settings.IRTIS_TASKS == "rq":
        import django_rq

        django_rq.get_queue("default").empty()
    from tasks_bench import noop as job_by_path  # named tasks_bench.noop, not __main__.noop

    workers = start_workers(workers_count)
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
        stop_workers(workers)
        Run.objects.all().delete()
        began = time.perf_counter()
        for _ in range(args.jobs):
            job_by_path.start()
        started = args.jobs / (time.perf_counter() - began)
        workers = start_workers(workers_count)
        wait_done(args.jobs)
        runs = Run.objects.all()
        rate = args.jobs / (max(r.finished_at for r in runs) - min(r.started_at for r in runs)).total_seconds()
        stop_workers(workers)
        workers = []
        bare_enqueued, bare_rate = measure_bare(args.jobs)
    finally:
        stop_workers(workers)
        teardown_database()
    latencies.sort()
    print(f"{settings.IRTIS_TASKS} on {vendor}, {args.jobs} trivial tasks; load average {os.getloadavg()[0]:.1f}")
    print(f"  bare task  enqueued {bare_enqueued:6.0f}/s, worked off {bare_rate:6.0f}/s (1 worker in-process)")
    print(f"  job + run  started  {started:6.0f}/s, worked off {rate:6.0f}/s ({workers_count} irtis worker processes)")
    print(f"  enqueue-to-start latency: median {statistics.median(latencies):.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms ({len(latencies)} single jobs, idle workers)")


if __name__ == "__main__":
    main()
