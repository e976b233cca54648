"""A real worker process on the configured engine (IRTIS_TASKS: the database queue, or RQ on the
machine's Redis), sharing the test database."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from irtis.tasks.models import Run

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT = "0.3"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def worker_environment(**extra: str) -> dict[str, str]:
    """The environment of an `irtis worker` process on the test database."""
    return {**os.environ, "IRTIS_DATABASE_URL": database_url(), "PYTHONPATH": str(ROOT), **extra}


@pytest.fixture
def start_worker(transactional_db: None) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `irtis worker` processes; each is stopped (or found killed) at the end of the test."""
    if settings.IRTIS_TASKS == "rq":
        import django_rq

        for queue in settings.IRTIS_TASK_QUEUES:
            django_rq.get_queue(queue).empty()
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        # Its own process group: RQ's scheduler is a child process, killed with it.
        worker = subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"], cwd=ROOT, start_new_session=True,
                                  env=worker_environment(IRTIS_TASK_HEARTBEAT=HEARTBEAT))
        started.append(worker)
        return worker

    yield start
    for worker in started:
        stop(worker, signal.SIGTERM)
    for worker in started:
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            stop(worker, signal.SIGKILL)
            worker.wait()


def stop(worker: subprocess.Popen, signum: int) -> None:
    """Send `signum` to the worker and the processes it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signum)


def wait_for(run: Run, *statuses: str, timeout: float = 60) -> Run:
    """The run, reloaded once it reaches one of `statuses` (polling; fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk} still {run.status} ({run.error})")
