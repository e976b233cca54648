"""The maintenance calendar (month, week), its iCalendar feed read back with a real parser, and
the panels of the window and change pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from irtis.changes.models import ChangeRequest
from irtis.identity import tokens
from tests.support.language import choose
from tests.systems.factories import estate

from .factories import blackout, window
from .people import person

pytestmark = pytest.mark.django_db
MARCH = dt.datetime(2027, 3, 9, 0, 0, tzinfo=dt.UTC)  # 02:00 Vilnius, the second Tuesday


def _calendar():  # type: ignore[no-untyped-def]
    e = estate()
    patch = window("Pataisų naktis", [e["instance"]], MARCH, hours=4, recurrence="FREQ=MONTHLY;BYDAY=2TU;COUNT=12")
    once = window("Tinklo darbai", [e["cluster"]], dt.datetime(2027, 3, 20, 20, tzinfo=dt.UTC), hours=8,
                  status="submitted")
    window("Atšauktas", [e["app"]], dt.datetime(2027, 3, 22, 8, tzinfo=dt.UTC), status="cancelled")
    peak = blackout("Deklaravimo pikas", dt.datetime(2027, 3, 29, 0, tzinfo=dt.UTC), 48, system=e["system"])
    return e, patch, once, peak


def test_month_view_places_occurrences_on_local_days(admin_client) -> None:  # type: ignore[no-untyped-def]
    _calendar()
    page = admin_client.get("/changes/calendar/?view=month&date=2027-03-15")
    assert page.status_code == 200
    html = page.content.decode()
    day = html.split('data-date="2027-03-09"')[1].split("</td>")[0]
    assert "02:00–06:00" in day and "Pataisų naktis" in day
    # an occurrence over midnight shows on both local days
    assert "Tinklo darbai" in html.split('data-date="2027-03-20"')[1].split("</td>")[0]
    assert "Tinklo darbai" in html.split('data-date="2027-03-21"')[1].split("</td>")[0]
    assert "Atšauktas" not in html
    assert "Deklaravimo pikas" in html.split('data-date="2027-03-30"')[1].split("</td>")[0]
    assert 'data-date="2027-04-04"' in html and 'data-date="2027-04-05"' not in html  # whole weeks
    april = admin_client.get("/changes/calendar/?view=month&date=2027-04-01").content.decode()
    assert "Pataisų naktis" in april.split('data-date="2027-04-13"')[1].split("</td>")[0]


def test_week_view_and_its_query_count_does_not_grow(admin_client) -> None:  # type: ignore[no-untyped-def]
    e, *_ = _calendar()
    admin_client.get("/changes/calendar/?view=week&date=2027-03-10")
    with CaptureQueriesContext(connection) as first:
        page = admin_client.get("/changes/calendar/?view=week&date=2027-03-10")
    html = page.content.decode()
    assert 'data-date="2027-03-08"' in html and 'data-date="2027-03-14"' in html
    assert 'data-date="2027-03-15"' not in html
    assert "Pataisų naktis" in html
    for n in range(5):
        window(f"Papildomas {n}", [e["app"]], dt.datetime(2027, 3, 11, n, tzinfo=dt.UTC), hours=1)
    with CaptureQueriesContext(connection) as second:
        admin_client.get("/changes/calendar/?view=week&date=2027-03-10")
    assert len(first) == len(second)


def test_bad_calendar_date_falls_back_to_today(admin_client) -> None:  # type: ignore[no-untyped-def]
    assert admin_client.get("/changes/calendar/?view=week&date=2027-02-31").status_code == 200


def test_ical_feed_reads_back_with_its_recurrence(client) -> None:  # type: ignore[no-untyped-def]
    _e, patch, once, peak = _calendar()
    alice = person("alice", ("view",))
    _token, plain = tokens.issue(alice)
    assert client.get("/changes/calendar.ics").status_code == 401
    assert client.get("/changes/calendar.ics?token=irt_wrong").status_code == 401
    response = client.get(f"/changes/calendar.ics?token={plain}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {f"window-{patch.pk}@irtis", f"window-{once.pk}@irtis", f"blackout-{peak.pk}@irtis"}
    monthly = events[f"window-{patch.pk}@irtis"]
    assert monthly.decoded("dtstart") == MARCH and monthly.decoded("dtend") == MARCH + dt.timedelta(hours=4)
    assert monthly["rrule"].to_ical().decode() == "FREQ=MONTHLY;COUNT=12;BYDAY=2TU"
    assert str(monthly["status"]) == "CONFIRMED" and str(events[f"window-{once.pk}@irtis"]["status"]) == "TENTATIVE"
    assert str(monthly["summary"]) == "Pataisų naktis"
    assert str(events[f"blackout-{peak.pk}@irtis"]["transp"]) == "TRANSPARENT"
    # the bearer header works too; a user without the permission is refused
    assert client.get("/changes/calendar.ics", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    nobody = person("nobody", ())
    assert client.get(f"/changes/calendar.ics?token={tokens.issue(nobody)[1]}").status_code == 403


def test_ical_feed_for_a_session(admin_client) -> None:  # type: ignore[no-untyped-def]
    _calendar()
    parsed = Calendar.from_ical(admin_client.get("/changes/calendar.ics").content)
    assert len(list(parsed.walk("VEVENT"))) == 3


def test_window_and_change_pages_show_impact_conflicts_and_actions(admin_client) -> None:  # type: ignore[no-untyped-def]
    e, _patch, once, _peak = _calendar()
    page = admin_client.get(once.get_absolute_url()).content.decode()
    assert "maintenance-impact" in page and "Sistema S" in page
    assert "Pataisų naktis" not in page  # different days: no conflict
    clash = window("Susidūrimas", [e["app"]], MARCH + dt.timedelta(hours=1), status="draft")
    page = admin_client.get(clash.get_absolute_url()).content.decode()
    assert "Pataisų naktis" in page and "window-actions" in page
    change = ChangeRequest.objects.create(title="Oracle RU", description="x", window=clash)
    page = admin_client.get(change.get_absolute_url())
    assert page.status_code == 200 and "change-audit" in page.content.decode()


def test_refused_actions_answer_409_with_the_reason(admin_client) -> None:  # type: ignore[no-untyped-def]
    made = window("Tuščias", [], MARCH, status="draft")
    response = choose(admin_client, "en").post(f"/changes/window-actions/{made.pk}/submit/")
    assert response.status_code == 409 and "covers no object" in response.content.decode()
    assert admin_client.post(f"/changes/window-actions/{made.pk}/explode/").status_code == 404
    assert admin_client.get(f"/changes/window-actions/{made.pk}/submit/").status_code == 405


def test_conflicts_with_windows_the_reader_may_not_view_are_left_unnamed(client) -> None:  # type: ignore[no-untyped-def]
    e, _patch, _once, _peak = _calendar()
    mine = window("Mano langas", [e["app"]], MARCH + dt.timedelta(hours=1), status="draft")
    client.force_login(person("ona", ("view",), constraints={"name__startswith": "Mano"}))
    page = choose(client, "en").get(mine.get_absolute_url()).content.decode()
    assert "(not shown to you)" in page and "Pataisų naktis" not in page
