"""The public API (irtis.changes.windows): what is under maintenance, approved intervals per
system, with recurrences expanded and a fixed number of queries."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irtis.changes import windows
from irtis.changes.models import Status
from irtis.systems.graph import node_of
from irtis.systems.models import InformationSystem
from tests.systems.factories import component, estate, system
from tests.virtualization.factories import cluster, vm

from .factories import at, window

pytestmark = pytest.mark.django_db


def _queries(function, *args):  # type: ignore[no-untyped-def]
    ContentType.objects.get_for_models(*apps.get_models())  # warm Django's content type cache, as a running process has
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return result, len(captured)


def test_under_maintenance_holds_the_objects_and_the_systems_they_affect() -> None:
    e = estate()
    other = system("OTHER")
    window("Klasterio atnaujinimas", [e["cluster"]], at(hours=1), hours=3)
    found = windows.under_maintenance(at(hours=2))
    assert node_of(e["cluster"]) in found and node_of(e["system"]) in found
    assert node_of(other) not in found
    assert node_of(e["ora_host"]) not in found  # covered objects and systems, not what they run on
    assert windows.under_maintenance(at(hours=4)) == set()  # the end is excluded
    assert windows.under_maintenance(at(hours=0.5)) == set()


def test_only_approved_windows_count() -> None:
    e = estate()
    for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.CANCELLED):
        window(f"Langas {status}", [e["ora_host"]], at(), hours=5, status=status)
    assert windows.under_maintenance(at(hours=1)) == set()
    assert windows.approved_intervals([e["system"].pk], at(-1), at(1)) == {e["system"].pk: []}


def test_recurring_window_in_local_time_across_daylight_saving() -> None:
    e = estate()
    # 02:00 Vilnius on the second Tuesday of each month: 00:00 UTC in winter, 23:00 the day before in summer.
    start = dt.datetime(2027, 1, 12, 0, 0, tzinfo=dt.UTC)
    window("Pataisų naktis", [e["instance"]], start, hours=4, recurrence="FREQ=MONTHLY;BYDAY=2TU;COUNT=12")
    spans = windows.approved_intervals([e["system"].pk], dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
                                       dt.datetime(2028, 1, 1, tzinfo=dt.UTC))[e["system"].pk]
    assert len(spans) == 12
    assert spans[1] == (dt.datetime(2027, 2, 9, 0, 0, tzinfo=dt.UTC), dt.datetime(2027, 2, 9, 4, 0, tzinfo=dt.UTC))
    assert spans[4][0] == dt.datetime(2027, 5, 10, 23, 0, tzinfo=dt.UTC)  # 11 May 02:00 EEST
    assert node_of(e["system"]) in windows.under_maintenance(dt.datetime(2027, 5, 11, 1, tzinfo=dt.UTC))
    assert windows.under_maintenance(dt.datetime(2027, 5, 12, 1, tzinfo=dt.UTC)) == set()


def test_approved_intervals_clip_and_merge() -> None:
    e = estate()
    window("A", [e["web1"]], at(hours=1), hours=2)
    window("B", [e["app"]], at(hours=2), hours=2)
    window("C", [e["app"]], at(hours=10), hours=5)
    result = windows.approved_intervals([e["system"].pk], at(), at(hours=12))
    assert result == {e["system"].pk: [(at(hours=1), at(hours=4)), (at(hours=10), at(hours=12))]}


def test_query_counts_do_not_grow_with_windows_or_systems() -> None:
    counts = []
    for n in (1, 6):
        for i in range(n):
            cl = cluster(f"CL-{n}-{i}")
            made = system(f"S{n}-{i}")
            component(made, f"{made.code} app", [vm(f"vm-{n}-{i}", cl)])
            window(f"W{n}-{i}", [cl], at(hours=1), hours=2, recurrence="FREQ=DAILY;COUNT=30")
        ids = list(InformationSystem.objects.values_list("pk", flat=True))
        under, q1 = _queries(windows.under_maintenance, at(days=3, hours=2))
        spans, q2 = _queries(windows.approved_intervals, ids, at(), at(days=30))
        assert sum(1 for pk in ids if spans[pk]) == len(ids)
        assert len([n for n in under if n[0] == node_of(made)[0]]) == len(ids)
        counts.append((q1, q2))
    assert counts[0] == counts[1] == (3, 3)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        windows.under_maintenance(dt.datetime(2027, 1, 1))
