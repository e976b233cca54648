"""Recurrence rules: checked, normalised, expanded in local time; bad input refused clearly."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from irtis.changes import recurrence
from irtis.changes.models import MaintenanceWindow

START = dt.datetime(2027, 1, 12, 0, 0, tzinfo=dt.UTC)  # 02:00 in Vilnius


def test_local_until_is_written_in_utc_at_the_end_of_the_day() -> None:
    assert recurrence.normalise("freq=monthly;byday=2tu;until=20271231", START) == \
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T215959Z"


@pytest.mark.parametrize(("rule", "says"), [
    ("FREQ=MONTHLY;BYDAY=2TU", "must end"),
    ("FREQ=MINUTELY;COUNT=5", "FREQ=DAILY"),
    ("FREQ=DAILY;COUNT=5000", "more than 1000"),
    ("FREQ=DAILY;UNTIL=21001231", "more than 1000"),
    ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "cannot be read"),
    ("nonsense", "NAME=VALUE"),
    ("FREQ=DAILY;COUNT=3;COUNT=4", "NAME=VALUE"),
    ("FREQ=DAILY;UNTIL=2027-13-01", "UNTIL must be"),
    ("FREQ=DAILY;UNTIL=20200101", "no occurrence"),
])
def test_bad_rules_are_refused_with_a_reason(rule: str, says: str) -> None:
    with pytest.raises(ValidationError) as error:
        recurrence.normalise(rule, START)
    assert says in " ".join(error.value.messages)


def test_expansion_returns_the_overlapping_occurrences_only() -> None:
    end = START + dt.timedelta(hours=4)
    rule = recurrence.normalise("FREQ=WEEKLY;COUNT=10", START)
    found = recurrence.occurrences(START, end, rule, START + dt.timedelta(days=7, hours=3),
                                   START + dt.timedelta(days=21))
    assert [a for a, _ in found] == [START + dt.timedelta(days=7), START + dt.timedelta(days=14)]
    assert recurrence.last_end(START, end, rule) == START + dt.timedelta(days=63, hours=4)


@pytest.mark.django_db
def test_window_end_before_start_is_refused() -> None:
    window = MaintenanceWindow(name="Atgal", start=START, end=START - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        window.full_clean()
    assert "after the start" in str(error.value.message_dict["end"])


@pytest.mark.django_db
def test_endless_recurrence_is_refused_on_the_field() -> None:
    window = MaintenanceWindow(name="Be galo", start=START, end=START + dt.timedelta(hours=1),
                               recurrence="FREQ=DAILY")
    with pytest.raises(ValidationError) as error:
        window.full_clean()
    assert "must end" in str(error.value.message_dict["recurrence"])
