"""Conflicts: two windows affecting one system at once, windows inside blackout periods."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irtis.changes.conflicts import conflicts, overlap
from tests.systems.factories import estate, system

from .factories import at, blackout, window

pytestmark = pytest.mark.django_db


def test_windows_on_objects_of_one_system_at_once_conflict() -> None:
    e = estate()
    mine = window("Duomenų bazė", [e["instance"]], at(hours=1), hours=3, status="draft")
    other = window("Klasteris", [e["cluster"]], at(hours=3), hours=2, status="approved")
    window("Vėliau", [e["cluster"]], at(hours=4), hours=1, status="cancelled")  # cancelled: no conflict
    window("Kita sistema", [system("KITA")], at(hours=1), hours=3, status="approved")  # another system
    found = conflicts(mine)
    assert [(c.kind, c.other, c.start, c.end) for c in found] == [("window", other, at(hours=3), at(hours=4))]
    assert [s.code for s in found[0].systems] == ["S"]


def test_recurring_windows_conflict_only_where_occurrences_meet() -> None:
    e = estate()
    monthly = window("Pataisų naktis", [e["app"]], at(hours=0), hours=4, recurrence="FREQ=MONTHLY;COUNT=6",
                     status="draft")
    # 02:00–06:00 Vilnius on the 1st: in May (summer time) 30 April 23:00 – 1 May 03:00 UTC, which a
    # window at 02:00 UTC meets and one at 03:00 UTC only touches
    once = window("Vienkartinis", [e["database"]], dt.datetime(2027, 5, 1, 2, tzinfo=dt.UTC), hours=2)
    window("Po jo", [e["database"]], dt.datetime(2027, 5, 1, 3, tzinfo=dt.UTC), hours=2)
    window("Ne tą dieną", [e["database"]], dt.datetime(2027, 5, 2, 3, tzinfo=dt.UTC), hours=2)
    found = conflicts(monthly)
    assert [(c.other, c.start, c.end) for c in found] == [
        (once, dt.datetime(2027, 5, 1, 2, tzinfo=dt.UTC), dt.datetime(2027, 5, 1, 3, tzinfo=dt.UTC))]


def test_blackout_of_an_affected_system_or_of_all_systems() -> None:
    e = estate()
    peak = blackout("Mėnesio pabaiga", at(days=-3), 24 * 4, system=e["system"],
                    recurrence="FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=12")
    made = window("Darbas pabaigoje", [e["ora_host"]], dt.datetime(2027, 3, 30, 1, tzinfo=dt.UTC), status="draft")
    blackout("Kitos sistemos", at(days=-10), 24 * 60, system=system("KITA"))
    everyone = blackout("Metų pabaiga", dt.datetime(2027, 3, 30, 2, tzinfo=dt.UTC), 5)
    found = conflicts(made)
    assert [(c.kind, c.other) for c in found] == [("blackout", peak), ("blackout", everyone)]
    assert found[1].systems == []
    assert conflicts(window("Vidury mėnesio", [e["ora_host"]], at(days=14), status="draft")) == []


def test_conflict_queries_do_not_grow_with_windows() -> None:
    e = estate()
    mine = window("Mano", [e["app"]], at(), hours=5, status="draft")
    counts, expected = [], 0
    for n in (2, 8):
        expected += n + 1
        for i in range(n):
            window(f"K{n}-{i}", [e["database"]], at(hours=1), hours=1)
        blackout(f"B{n}", at(), 2, system=e["system"])
        ContentType.objects.get_for_models(*apps.get_models())
        with CaptureQueriesContext(connection) as captured:
            assert len(conflicts(mine)) == expected
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_overlap_sweep() -> None:
    a = [(at(hours=0), at(hours=1)), (at(hours=5), at(hours=6))]
    b = [(at(hours=1), at(hours=2)), (at(hours=5, days=0) + dt.timedelta(minutes=30), at(hours=7))]
    assert overlap(a, b) == (at(hours=5, days=0) + dt.timedelta(minutes=30), at(hours=6))
    assert overlap(a, [(at(hours=2), at(hours=3))]) is None
