"""The period a report covers: a month (`2026-11`) or a quarter (`2026-Q4`), never one to come."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})-[Qq](\d+)$")


@dataclass(frozen=True)
class Period:
    kind: str  # "month" or "quarter"
    first: dt.date  # the first day
    end: dt.date  # the day after the last

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("month %(code)s") % {"code": self.code}
        return _("quarter %(code)s") % {"code": self.code}


def _next_month(day: dt.date, months: int = 1) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month(year: int, number: int) -> Period:
    first = dt.date(year, number, 1)
    return Period("month", first, _next_month(first))


def quarter(year: int, number: int) -> Period:
    first = dt.date(year, 3 * number - 2, 1)
    return Period("quarter", first, _next_month(first, 3))


def parse(text: str, today: dt.date) -> Period:
    """The period `text` names; a ValidationError in the user's language for a malformed one,
    a month out of 1–12, a quarter out of 1–4, or a period that has not begun by `today`."""
    text = (text or "").strip()
    found = MONTH.match(text)
    if found:
        year, number = int(found[1]), int(found[2])
        if not 1 <= number <= 12:
            raise ValidationError(_("A month is 1 to 12, not %(number)s.") % {"number": number}, code="month")
        period = month(year, number)
    elif found := QUARTER.match(text):
        year, number = int(found[1]), int(found[2])
        if not 1 <= number <= 4:
            raise ValidationError(_("A quarter is 1 to 4, not %(number)s.") % {"number": number}, code="quarter")
        period = quarter(year, number)
    else:
        raise ValidationError(
            _("“%(text)s” is not a period: write a month as 2026-11 or a quarter as 2026-Q4.") % {"text": text[:40]},
            code="format")
    if year < 2000:
        raise ValidationError(_("Reports begin with the year 2000."), code="year")
    if period.first > today:
        raise ValidationError(_("The %(period)s has not begun yet: a report covers a past or the current period.")
                              % {"period": period.label}, code="future")
    return period


def last_complete(kind: str, today: dt.date) -> Period:
    """The last whole month or quarter before `today`."""
    if kind == "month":
        start = _next_month(today.replace(day=1), -1)
        return month(start.year, start.month)
    this = (today.month - 1) // 3
    start = _next_month(dt.date(today.year, 3 * this + 1, 1), -3)
    return quarter(start.year, (start.month - 1) // 3 + 1)


def current(kind: str, today: dt.date) -> Period:
    if kind == "month":
        return month(today.year, today.month)
    return quarter(today.year, (today.month - 1) // 3 + 1)
