"""`irtis worker [--queue ZONE …]`: work off background tasks, start due schedules, retry lost runs."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.crypto import get_random_string

from irtis.audit import roles
from irtis.tasks.worker import Beat, DatabaseWorker


class Command(BaseCommand):
    help = "Run background tasks of the given queues (default: all of IRTIS_TASK_QUEUES) on the configured engine."
    # irtis's checks of what the tasks use (the e-mail settings, the documents' tools), not
    # Django's of models, addresses and templates: they import the whole web application (the
    # API's schemas: some 5 s of each start), and serve and migrate run them.
    requires_system_checks = ["irtis"]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="append", dest="queues", metavar="QUEUE",
                            help="a queue to work off, e.g. a network zone's; repeat for several")
        parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
        parser.add_argument("--interval", type=float, default=0.05,
                            help="seconds between looks at an empty database queue")

    def handle(self, *args: Any, queues: list[str] | None, burst: bool, interval: float, **options: Any) -> None:
        roles.refuse_privileged("worker")
        queues = queues or settings.IRTIS_TASK_QUEUES
        if unknown := set(queues) - set(settings.IRTIS_TASK_QUEUES):
            raise CommandError(f"Unknown queues {', '.join(sorted(unknown))}: add them to IRTIS_TASK_QUEUES.")
        # One connection for the worker's life (SQLite's settings close it after each request: a
        # reconnect per task, with its checkpoint, cost more than the task).
        connection.settings_dict["CONN_MAX_AGE"] = None
        if not burst:
            Beat().start()
        if settings.IRTIS_TASKS == "rq":
            import django_rq

            from irtis.tasks.rq_engine import RunJob, RunWorker

            # Tasks run in the worker's process (no fork per task): a job's writes are one
            # transaction, and a worker that dies has its runs retried by the others' beat.
            # django-rq types the class as rq's Worker; SimpleWorker is its sibling (both BaseWorker).
            worker = django_rq.get_worker(*queues, job_class=RunJob, worker_class=RunWorker)  # type: ignore[arg-type]
            worker.work(burst=burst, logging_level="WARNING")
        else:
            db_worker = DatabaseWorker(queue_names=queues, interval=interval, batch=burst, backend_name="default",
                                       startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
                                       excluded_queue_names=[])
            db_worker.configure_signals()
            db_worker.run()
