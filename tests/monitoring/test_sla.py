"""Service levels: availability counted in service hours (working hours without Lithuanian public
holidays), maintenance left out or counted as the SLA says, the month's warnings in service
hours, per-object availability, and how percentages are shown."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from irtis.monitoring import availability, summary
from irtis.monitoring.models import Check, ServiceLevel, StateChange, SystemChange
from irtis.monitoring.templatetags.monitoring_tags import percent
from irtis.systems.models import InformationSystem
from tests.changes.factories import window
from tests.systems.factories import component, system
from tests.virtualization.factories import server

pytestmark = pytest.mark.django_db

VILNIUS = ZoneInfo("Europe/Vilnius")


def local(day: str, hour: float) -> dt.datetime:
    """A local time in Vilnius: local("2026-06-01", 8.5) is 08:30 that day."""
    return dt.datetime.fromisoformat(day).replace(tzinfo=VILNIUS) + dt.timedelta(hours=hour)


def level(of: InformationSystem, **values: object) -> ServiceLevel:
    made = ServiceLevel(system=of, **values)
    made.full_clean()
    made.save()
    return made


def outage(of: InformationSystem, start: dt.datetime, end: dt.datetime) -> None:
    SystemChange.objects.bulk_create([SystemChange(system=of, at=start, state="down"),
                                      SystemChange(system=of, at=end, state="up")])


def test_working_hours_count_only_weekdays_from_eight_to_five() -> None:
    s = system("W")
    level(s)  # Mon–Fri 08:00–17:00 Europe/Vilnius, holidays excluded
    SystemChange.objects.create(system=s, at=local("2026-05-01", 0), state="up")
    outage(s, local("2026-06-01", 7), local("2026-06-01", 9))  # Monday 07–09: one hour in service
    outage(s, local("2026-06-06", 10), local("2026-06-06", 12))  # Saturday: none
    outage(s, local("2026-06-03", 16.5), local("2026-06-04", 8.5))  # Wed 16:30 – Thu 08:30: one hour
    found = availability.availability([s.pk], local("2026-06-01", 0), local("2026-06-08", 0),
                                      now=local("2026-07-01", 0))[s.pk]
    assert found.measured == 5 * 9 * 3600
    assert found.down == 2 * 3600
    assert found.percent == pytest.approx(100 * (1 - 2 / 45))


def test_lithuanian_public_holidays_are_outside_service_hours() -> None:
    """16 February 2026 (Restoration of the State Day) is a Monday; Easter Monday moves each year."""
    s, t = system("H"), system("H2")
    level(s)
    level(t, public_holidays=False)
    for one in (s, t):
        outage(one, local("2026-02-16", 9), local("2026-02-16", 11))
    found = availability.availability([s.pk, t.pk], local("2026-02-16", 0), local("2026-02-23", 0),
                                      now=local("2026-03-01", 0))
    assert found[s.pk].measured == 4 * 9 * 3600 and found[s.pk].down == 0
    assert found[t.pk].measured == 5 * 9 * 3600 and found[t.pk].down == 2 * 3600
    easter = availability.availability([s.pk], local("2026-04-06", 0), local("2026-04-07", 0),
                                       now=local("2026-05-01", 0))[s.pk]
    assert easter.measured == 0 and easter.percent is None  # Easter Monday 2026


def test_the_sla_says_whether_approved_maintenance_counts() -> None:
    left_out, counted = system("M1"), system("M2")
    level(left_out, hours="24x7")
    level(counted, hours="24x7", exclude_maintenance=False)
    host = server("srv-m")
    for one in (left_out, counted):
        component(one, f"{one.code} app", [host])
        outage(one, local("2026-06-02", 2), local("2026-06-02", 4))
    window("Naktinės pataisos", [host], local("2026-06-02", 2), hours=1)
    found = availability.availability([left_out.pk, counted.pk], local("2026-06-02", 0), local("2026-06-03", 0),
                                      now=local("2026-07-01", 0))
    assert (found[left_out.pk].measured, found[left_out.pk].down) == (23 * 3600, 3600)
    assert (found[counted.pk].measured, found[counted.pk].down) == (24 * 3600, 2 * 3600)


def test_the_months_warning_counts_service_hours() -> None:
    """The same three hours down in June: a 24×7 system has 720 h × 0.5 % = 3.6 h to spend (at
    risk); a working-hours one 21 working days × 9 h × 0.5 % = 0.945 h (missed)."""
    office, always = system("O1"), system("O2")
    level(office)
    for one in (office, always):
        one.availability_target = Decimal("99.5")
        one.save()
        SystemChange.objects.create(system=one, at=local("2026-05-01", 0), state="up")
        outage(one, local("2026-06-02", 10), local("2026-06-02", 13))  # three hours on a Tuesday
    found = {s.system.pk: s for s in summary.summaries([office, always], now=local("2026-06-10", 12))}
    # 24×7: 720 h × 0.5 % = 3.6 h allowed, 3 h spent: at risk (≥ 80 %), not missed.
    assert found[always.pk].warning == "at_risk"
    # Working hours: June 2026 has 21 working days (24 June is a holiday) → 189 h × 0.5 % = 0.945 h.
    assert found[office.pk].warning == "breached"
    assert found[office.pk].budget_used == pytest.approx(3 / (21 * 9 * 0.005))


def test_service_levels_keep_the_report_to_a_fixed_number_of_queries() -> None:
    def queries(n: int) -> int:
        made = [system(f"Q{n}-{i}") for i in range(n)]
        for i, one in enumerate(made):
            if i % 2:
                level(one)
            outage(one, local("2026-06-01", 9), local("2026-06-01", 10))
        with CaptureQueriesContext(connection) as ctx:
            found = availability.availability([s.pk for s in made], local("2026-06-01", 0),
                                              local("2026-06-02", 0), now=local("2026-06-05", 0))
        assert all(m.down == 3600 for m in found.values())
        return len(ctx.captured_queries)

    assert queries(2) == queries(12)


def test_bad_service_levels_are_refused_with_clear_errors() -> None:
    s = system("BAD")
    with pytest.raises(ValidationError) as caught:
        level(s, days="1-8", opens="17:00", closes="08:00", time_zone="Europe/Vilna-X")
    assert set(caught.value.message_dict) == {"days", "closes", "time_zone"}
    assert "Europe/Vilna-X" in caught.value.message_dict["time_zone"][0]
    with pytest.raises(ValidationError) as caught:
        level(s, opens="8", closes="25:00")
    assert set(caught.value.message_dict) == {"opens", "closes"}


def test_a_components_availability_from_its_checks_in_its_systems_hours(admin_client) -> None:  # type: ignore[no-untyped-def]
    s = system("K")
    level(s)
    part = component(s, "K app", [server("srv-k")])
    kind = ContentType.objects.get_for_model(part)
    checks = [Check.objects.create(name=f"k{n}", kind="tcp", host="127.0.0.1", port=1000 + n, target_type=kind,
                                   target_id=part.pk) for n in (1, 2)]
    # Two checks, overlapping outages: down while either is (09–11 and 10–12 → 09–12).
    StateChange.objects.bulk_create([
        StateChange(check_obj=checks[0], at=local("2026-06-01", 9), state="down"),
        StateChange(check_obj=checks[0], at=local("2026-06-01", 11), state="up"),
        StateChange(check_obj=checks[1], at=local("2026-06-01", 10), state="down"),
        StateChange(check_obj=checks[1], at=local("2026-06-01", 12), state="up"),
        StateChange(check_obj=checks[1], at=local("2026-06-01", 18), state="down"),  # after hours
        StateChange(check_obj=checks[1], at=local("2026-06-01", 20), state="up"),
    ])
    node = (kind.id, part.pk)
    found = availability.object_availability(node, {"day": (local("2026-06-01", 0), local("2026-06-02", 0))},
                                             now=local("2026-06-03", 0))["day"]
    assert (found.measured, found.down) == (9 * 3600, 3 * 3600)
    page = admin_client.get(part.get_absolute_url()).content.decode()
    assert 'id="availability"' in page and "%</td>" in page
    unwatched = component(s, "K db", [server("srv-k2")])
    assert 'id="availability"' not in admin_client.get(unwatched.get_absolute_url()).content.decode()


def test_percentages_show_two_decimals_cut_in_the_readers_format() -> None:
    with translation.override("lt"):
        assert percent(99.95678) == "99,95 %"
        assert percent(99.999) == "99,99 %"  # not rounded up to a perfect score
        assert percent(100.0) == "100 %"
        assert percent(None) == "—"
    with translation.override("en"):
        assert percent(99.5) == "99.50 %"


def test_the_board_shows_two_decimals(admin_client) -> None:  # type: ignore[no-untyped-def]
    s = system("BRD")
    SystemChange.objects.create(system=s, at=local("2020-01-01", 0), state="up")
    page = admin_client.get("/monitoring/board/").content.decode()
    assert "100 %" in page and "100,000" not in page
