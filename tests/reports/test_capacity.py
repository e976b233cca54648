"""Capacity over time: the daily samples of clusters, disk arrays and address containers, the
straight line through a period's samples, and the report's trend table within what the reader
may view."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import StorageCapacity
from irtis.network.models import Prefix
from irtis.reports import capacity, periods, sections
from irtis.reports.models import CapacitySample
from tests.virtualization.factories import cluster, host, server, vm

pytestmark = pytest.mark.django_db
Kind = CapacitySample.Kind


def test_each_capacity_is_sampled_once_a_day() -> None:
    on = cluster("CL-1")
    host(on, "esx-1")  # the factory's host and VM: memory and vCPU allocated
    vm("vm-1", on)
    array = StorageCapacity.objects.create(device=server("array-1"), raw_tb=Decimal(100), usable_tb=Decimal(80),
                                           used_tb=Decimal(20))
    block = Prefix.objects.create(prefix="10.20.0.0/16", status=Prefix.Status.CONTAINER)
    Prefix.objects.create(prefix="10.20.0.0/17")  # half of the block
    day = dt.date(2026, 11, 30)
    kept = capacity.record(day)
    samples = {(s.kind, s.object_id): s.percent for s in CapacitySample.objects.filter(day=day)}
    assert len(samples) == kept
    assert samples[Kind.STORAGE, array.pk] == 25.0
    assert samples[Kind.ADDRESSES, block.pk] == 50.0
    assert (Kind.CLUSTER_MEMORY, on.pk) in samples and (Kind.CLUSTER_VCPU, on.pk) in samples
    array.used_tb = Decimal(40)
    array.save()
    assert capacity.record(day) == kept  # the day's second run replaces its samples
    assert CapacitySample.objects.get(day=day, kind=Kind.STORAGE).percent == 50.0
    assert CapacitySample.objects.count() == kept


def _series(kind: str, pk: int, first: dt.date, values: list[float], step: int = 1) -> list:
    return [(kind, pk, f"obj-{pk}", first + dt.timedelta(days=n * step), v) for n, v in enumerate(values)]


def test_a_trend_is_a_straight_line_through_the_samples() -> None:
    first = dt.date(2026, 3, 1)
    rising = _series(Kind.STORAGE, 1, first, [60 + 0.5 * n for n in range(31)])  # half a point a day
    flat = _series(Kind.STORAGE, 2, first, [40.0] * 31)
    short = _series(Kind.STORAGE, 3, first, [10.0, 90.0], step=3)  # three days apart: no trend
    found = {t.object_id: t for t in capacity.trends(rising + flat + short)}
    assert set(found) == {1, 2}
    assert (found[1].first, found[1].last, found[1].change) == (60.0, 75.0, 15.0)
    assert found[1].per_30_days == pytest.approx(15.0)
    assert found[1].full_on == dt.date(2026, 3, 31) + dt.timedelta(days=50)  # 25 points at 0.5 a day
    assert found[2].per_30_days == pytest.approx(0.0) and found[2].full_on is None
    slow = capacity.trends(_series(Kind.STORAGE, 4, first, [10 + 0.01 * n for n in range(31)]))
    assert slow[0].full_on is None  # 90 points at 0.01 a day: past the horizon


def test_the_report_draws_the_trend_of_what_the_reader_may_view() -> None:
    seen = StorageCapacity.objects.create(device=server("array-a"), raw_tb=Decimal(10), usable_tb=Decimal(10),
                                          used_tb=Decimal(9))
    hidden = Prefix.objects.create(prefix="10.30.0.0/16", status=Prefix.Status.CONTAINER)
    CapacitySample.objects.bulk_create(
        CapacitySample(day=dt.date(2025, 3, 1) + dt.timedelta(days=n), kind=kind, object_id=pk, name=name,
                       percent=start + n)
        for n in range(31) for kind, pk, name, start in [(Kind.STORAGE, seen.pk, "array-a", 60.0),
                                                         (Kind.ADDRESSES, hidden.pk, "10.30.0.0/16", 10.0)])
    period = periods.parse("2025-03", dt.date(2026, 12, 4))
    part = {p.key: p for p in sections.collect(period, None)}["capacity"]
    trend = part.tables[-1]
    assert trend.caption == "Capacity trends"
    assert [row[0] for row in trend.rows] == ["array-a", "10.30.0.0/16"]  # the sooner full first
    assert trend.rows[0][2:] == ["60 %", "90 %", "30.0 pp", dt.date(2025, 4, 10)]
    assert dict(part.facts)["Capacities reaching 100 % within a year at the period's pace"] == 2
    assert part.charts[-1].bars[0].label == "array-a: disk array used"
    reader = User.objects.create_user("inventorius")  # sees disk arrays, not address space
    grant = ObjectPermission.objects.create(name="masyvai", actions=["view"])
    grant.users.add(reader)
    grant.object_types.add(ContentType.objects.get_for_model(StorageCapacity))
    part = {p.key: p for p in sections.collect(period, reader)}["capacity"]
    assert [row[0] for row in part.tables[-1].rows] == ["array-a"]
    april = {p.key: p for p in sections.collect(periods.parse("2025-04", dt.date(2026, 12, 4)), None)}["capacity"]
    assert "no trend is drawn" in april.note and all(t.caption != "Capacity trends" for t in april.tables)
    early = sections.collect(periods.parse("2025-04", dt.date(2025, 4, 3)), None,
                             now=timezone.make_aware(dt.datetime(2025, 4, 3, 12)))
    trend = {p.key: p for p in early}["capacity"].tables[-1]  # April's dashboard on the 3rd: March's last weeks
    assert trend.caption == "Capacity trends" and trend.rows[0][2:4] == ["66 %", "90 %"]
