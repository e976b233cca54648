"""Background task figures: trivial tasks per second and enqueue-to-start latency
(docs/performance.md, "Background tasks").

    .venv/bin/python benchmarks/tasks_bench.py                          # embedded queue, SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/tasks_bench.py                      # embedded queue, PostgreSQL
    IRTIS_TASKS=rq IRTIS_REDIS_URL=redis://127.0.0.1:6379/8 … tasks_bench.py   # RQ on Redis

Figures per engine:
- latency: single jobs on idle workers (`started_at − enqueued_at`);
- client → done: a separate client process starts the jobs (`@job`: a `Run` row beside the
  engine's entry) one by one (`start()`), then again in batches (`start_many()`), while real
  `irtis worker` processes work them off; rate = jobs / (first enqueued → last finished);
- backlog: jobs started while the workers are stopped, then worked off (first start to last finish);
- in-process: a backlog worked off by one worker in this process, with the worker's CPU per job
  (its own share: less sensitive to the machine's load than the rates);
- a bare Tasks-API task (`@task`, the engine alone: irtis's run signals disconnected), enqueued
  one by one, then worked off by one worker in this process.
The floor: the share of a core that a busy Python loop gets, before and after (1.0 = a quiet core).
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


def cpu_share(seconds: float = 1.0) -> float:
    """The share of one core this process gets while busy (1.0 on a quiet machine)."""
    began, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - began < seconds:
        sum(range(1000))
    return (time.process_time() - cpu) / (time.perf_counter() - began)


def client(count: int, bulk: int) -> None:
    """The client process: start `count` noop jobs, one by one or `bulk` at a time."""
    from tasks_bench import noop as by_path

    if bulk > 1:
        for first in range(0, count, bulk):
            by_path.start_many([{}] * min(bulk, count - first))
    else:
        for _ in range(count):
            by_path.start()


def client_to_done(count: int, bulk: int) -> tuple[float, float, list[float]]:
    """Jobs started by a separate client process while the workers run: started per second (by
    the client), done per second (first enqueued to last finished), and each run's wait (ms)."""
    from irtis.tasks.models import Run

    Run.objects.all().delete()
    env = {**os.environ, "IRTIS_DATABASE_URL": database_url(), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, __file__, "--client", str(count), "--bulk", str(bulk)], env=env, cwd=ROOT,
                   check=True)
    wait_done(count)
    runs = list(Run.objects.all())
    first, last = min(r.enqueued_at for r in runs), max(r.finished_at for r in runs)
    started = count / (max(r.enqueued_at for r in runs) - first).total_seconds()
    return started, count / (last - first).total_seconds(), sorted(
        (r.started_at - r.enqueued_at).total_seconds() * 1000 for r in runs)


def wait_done(count: int, timeout: float = 600) -> None:
    from irtis.tasks.models import Run, Status

    deadline = time.monotonic() + timeout
    while Run.objects.filter(status=Status.DONE).count() < count:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not finish in time")
        time.sleep(0.05)


def start_workers(count: int) -> list[subprocess.Popen]:
    # A throw-away test database, created by the superuser (the workers' role check is for production).
    env = {**os.environ, "IRTIS_DATABASE_URL": database_url(), "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")])}
    return [subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"], env=env, cwd=ROOT) for _ in range(count)]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(30)


def work_off_in_process(queue: str = "default") -> None:
    """Work the queue off with one worker of the engine, in this process, until it is empty."""
    from django.conf import settings

    if settings.IRTIS_TASKS == "rq":
        import django_rq

        from irtis.tasks.rq_engine import RunJob, RunWorker

        worker = django_rq.get_worker(queue, job_class=RunJob, worker_class=RunWorker)  # type: ignore[arg-type]
        worker.work(burst=True, logging_level="WARNING")
    else:
        from irtis.tasks.worker import DatabaseWorker

        DatabaseWorker(queue_names=[queue], interval=0, batch=True, backend_name="default", startup_delay=False,
                       max_tasks=None, worker_id="bench", excluded_queue_names=[]).run()


def measure_in_process(count: int) -> tuple[float, float]:
    """A backlog of `count` jobs worked off by one worker in this process: jobs per second, and
    the worker's CPU per job in ms (its own share only: less sensitive to the machine's load)."""
    from tasks_bench import noop as by_path

    by_path.start_many([{}] * count)
    began, cpu = time.perf_counter(), time.process_time()
    work_off_in_process()
    return count / (time.perf_counter() - began), (time.process_time() - cpu) * 1000 / count


def measure_bare(count: int) -> tuple[float, float]:
    """Enqueue and work-off rates of `count` bare tasks, one worker in this process."""
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
    work_off_in_process()
    return enqueued, count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="irtis worker processes (default: 1 on SQLite, 2 otherwise)")
    parser.add_argument("--latency-samples", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=100, help="runs per start_many() in the batched pass")
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)  # the client process: start this many
    args = parser.parse_args()
    if args.client:
        client(args.client, args.bulk)
        return
    floor_before = cpu_share()
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
        single = client_to_done(args.jobs, 1)
        batched = client_to_done(args.jobs, args.bulk)
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
        Run.objects.all().delete()
        in_process = measure_in_process(args.jobs)
        bare_enqueued, bare_rate = measure_bare(args.jobs)
    finally:
        stop_workers(workers)
        teardown_database()
    floor_after = cpu_share()
    latencies.sort()
    print(f"{settings.IRTIS_TASKS} on {vendor}, {args.jobs} trivial tasks, {workers_count} irtis worker processes; "
          f"load average {os.getloadavg()[0]:.1f}; a busy loop got {floor_before:.2f} / {floor_after:.2f} of a core "
          "(before / after)")
    print(f"  latency, idle workers: median {statistics.median(latencies):.0f} ms, "
          f"p95 {percentile(latencies, 95):.0f} ms ({len(latencies)} single jobs)")
    for label, (client_rate, done_rate, waits) in (("start()", single), (f"start_many({args.bulk})", batched)):
        print(f"  client → done, {label:>15}: started {client_rate:6.0f}/s, done {done_rate:6.0f}/s; "
              f"enqueue → start median {statistics.median(waits):.0f} ms, p95 {percentile(waits, 95):.0f} ms")
    print(f"  backlog          started {started:6.0f}/s, worked off {rate:6.0f}/s")
    print(f"  in-process       one worker worked off {in_process[0]:6.0f}/s, its CPU {in_process[1]:.2f} ms a job")
    print(f"  bare task        enqueued {bare_enqueued:6.0f}/s, worked off {bare_rate:6.0f}/s (1 worker in-process)")


def percentile(values: list[float], p: int) -> float:
    return values[max(0, int(len(values) * p / 100) - 1)]


if __name__ == "__main__":
    main()
