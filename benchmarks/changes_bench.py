"""Maintenance API figures (docs/performance.md): windows.under_maintenance and
windows.approved_intervals over the demo estate with many approved recurring windows.

    IRTIS_DATA_DIR=/tmp/demo-changes .venv/bin/irtis migrate && IRTIS_DATA_DIR=/tmp/demo-changes .venv/bin/irtis demo
    IRTIS_DATA_DIR=/tmp/demo-changes .venv/bin/python benchmarks/changes_bench.py 500

Adds the windows to the database named by the environment (use a scratch demo database).
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from irtis.changes import windows  # noqa: E402
from irtis.changes.models import MaintenanceWindow, Status, WindowObject  # noqa: E402
from irtis.databases.models import DBMSInstance  # noqa: E402
from irtis.inventory.models import Device  # noqa: E402
from irtis.systems.models import InformationSystem  # noqa: E402
from irtis.virtualization.models import VirtualMachine  # noqa: E402

START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def add(count: int) -> None:
    targets = [*Device.objects.all()[:300], *VirtualMachine.objects.all()[:300], *DBMSInstance.objects.all()]
    rng = random.Random(12)
    with transaction.atomic():
        for n in range(count):
            start = START + dt.timedelta(hours=rng.randrange(24 * 30))
            window = MaintenanceWindow(name=f"bench-{n}", start=start, end=start + dt.timedelta(hours=3),
                                       recurrence="FREQ=WEEKLY;COUNT=52")
            window.full_clean()
            window.save()
            for target in rng.sample(targets, 3):
                WindowObject.objects.create(window=window, object_type=ContentType.objects.get_for_model(target),
                                            object_id=target.pk)
            window.status = Status.APPROVED
            window.save()


def measure(label: str, function, *args, repeat: int = 5) -> None:  # type: ignore[no-untyped-def]
    function(*args)
    best = float("inf")
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = function(*args)
            best = min(best, time.perf_counter() - began)
    print(f"{label}: {best * 1000:.1f} ms, {len(queries)} queries, {len(result)} results")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    if not MaintenanceWindow.objects.filter(name__startswith="bench-").exists():
        add(count)
    approved = MaintenanceWindow.objects.filter(status=Status.APPROVED).count()
    systems = list(InformationSystem.objects.values_list("pk", flat=True))
    print(f"{connection.vendor}: {approved} approved windows (weekly for a year), {len(systems)} systems, "
          f"load {open('/proc/loadavg').read().split()[0]}")
    measure("under_maintenance(at)", windows.under_maintenance, START + dt.timedelta(days=40, hours=2))
    measure("approved_intervals(all systems, 1 year)", windows.approved_intervals, systems, START,
            START + dt.timedelta(days=365))
    measure("approved_intervals(all systems, 90 days)", windows.approved_intervals, systems, START,
            START + dt.timedelta(days=90))


if __name__ == "__main__":
    main()
