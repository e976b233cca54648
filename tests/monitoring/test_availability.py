"""Availability from the systems' state changes, with approved maintenance left out, in a fixed
number of queries; the 90-day strip; the status board and the system's panel."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irtis.monitoring import availability, summary
from irtis.monitoring.models import SystemChange
from irtis.monitoring.svg import COLOURS
from tests.changes.factories import window
from tests.systems.factories import component, system
from tests.virtualization.factories import server

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def changes(of, *steps: tuple[float, str]) -> None:  # type: ignore[no-untyped-def]
    SystemChange.objects.bulk_create([SystemChange(system=of, at=at(h), state=s) for h, s in steps])


def test_downtime_counts_only_down_and_starts_from_the_state_before_the_period() -> None:
    s = system("A")
    changes(s, (-50, "down"), (-48, "up"), (-1, "down"), (2, "degraded"), (10, "down"), (11, "up"))
    found = availability.availability([s.pk], at(0), at(24), now=at(100))[s.pk]
    assert found.measured == 24 * 3600
    assert found.down == 3 * 3600  # 0–2 (down since before the period) and 10–11; degraded is available
    assert found.percent == pytest.approx(100 * 21 / 24)


def test_approved_maintenance_is_left_out() -> None:
    s = system("B")
    host = server("srv-b")
    component(s, "B app", [host])
    changes(s, (0, "up"), (10, "down"), (12, "up"))
    window("Pataisos", [host], at(10), hours=1)  # approved, covers half of the outage
    found = availability.availability([s.pk], at(0), at(24), now=at(100))[s.pk]
    assert found.measured == 23 * 3600 and found.down == 3600


def test_the_report_runs_a_fixed_number_of_queries() -> None:
    def queries(n: int) -> int:
        made = [system(f"Q{n}-{i}") for i in range(n)]
        for s in made:
            changes(s, (0, "up"), (5, "down"), (6, "up"))
        with CaptureQueriesContext(connection) as ctx:
            found = availability.availability([s.pk for s in made], at(0), at(24), now=at(48))
        assert all(m.down == 3600 for m in found.values())
        return len(ctx.captured_queries)

    assert queries(2) == queries(20)


def test_the_strip_has_a_bar_per_day() -> None:
    s = system("C")
    now = dt.datetime.now(dt.UTC)
    SystemChange.objects.create(system=s, at=now - dt.timedelta(days=200), state="up")
    SystemChange.objects.create(system=s, at=now - dt.timedelta(days=3, hours=1), state="down")
    SystemChange.objects.create(system=s, at=now - dt.timedelta(days=3), state="up")
    found = availability.availability_in([s.pk], availability.days(90, now), now)
    days = [(day, by_id[s.pk].percent) for day, by_id in found.items()]
    assert len(days) == 90 and days[-1][0] == timezone.localdate(now).isoformat()
    assert sum(1 for _day, p in days if p is not None and p < 100) in (1, 2)  # the hour may straddle midnight
    svg = summary.panel(s, now).strip
    assert svg.count("<rect") == 90 and "<script" not in svg
    assert svg.count('fill="#') - svg.count(f'fill="{COLOURS["up"]}"') >= 1  # the down day is drawn apart


def test_the_board_and_the_panel(admin_client) -> None:  # type: ignore[no-untyped-def]
    s = system("D")
    s.availability_target = Decimal("99.9")
    s.save()
    now = dt.datetime.now(dt.UTC)
    SystemChange.objects.create(system=s, at=now - dt.timedelta(hours=5), state="down")
    response = admin_client.get("/monitoring/board/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "D" in page and "#dc3545" in page  # a red tile
    detail = admin_client.get(s.get_absolute_url()).content.decode()
    assert 'id="availability"' in detail and "<svg" in detail


def test_the_board_needs_the_right_to_view_systems(client, django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("plain", password="x-Long-password-1")
    client.force_login(user)
    assert client.get("/monitoring/board/").status_code == 403
