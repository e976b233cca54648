"""Measured SLAs of external services, month by month: availability from monitoring's records,
response and resolution times from monitoring's incidents, breaches and penalties.

A month's availability is that of the information system the service is measured as
(`irtis.monitoring.availability`: its derived state, counted in its service hours, approved
maintenance left out). Below the target it is a breach; the penalty is, by the service's terms,
`penalty_rate` % of the monthly fee for each started `penalty_step` percentage points below the
target, at most `penalty_cap` %:

    steps = ceil((target − measured) / step);  penalty = min(steps × rate, cap) / 100 × fee

The month's incidents are those of the system detected in it. Response time runs from detection
to acknowledgement (or resolution, when it was resolved without one), resolution time from
detection to resolution; one not yet answered counts up to now, so it is late as soon as the
contract's time has passed. The times are in working hours when the contract says so (the
service desk's calendar, `irtis.servicedesk.targets.WORKING`: Mon–Fri 08:00–17:00, Lithuanian
public holidays left out), otherwise around the clock. Each late response and each late
resolution costs `incident_penalty_rate` % of the fee; the month's penalties together are at
most `penalty_cap` %.

    statement(service, months)       -> [Month, …]                     the queries of rollup
    rollup(services, months)         -> [Measured, …]        availability's queries and one, whatever the count
    by_supplier(measured)            -> [SupplierTotal, …]             no query
"""

import datetime as dt
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from irtis.monitoring.availability import availability_in, epoch
from irtis.monitoring.hours import ALWAYS, Counted, Hours, service_spans
from irtis.monitoring.models import Incident
from irtis.servicedesk.targets import WORKING

from .models import ExternalService, Supplier

CENT = Decimal("0.01")
ZERO = Decimal("0")
MAX_MONTHS = 36
MONTHS_ERROR = gettext_lazy("The number of months must be a whole number from 1 to 36.")


@dataclass
class Month:
    start: dt.date
    measured: Decimal | None  # percent, two decimals; None when nothing was measured
    target: Decimal | None
    down_minutes: int
    breach: bool  # availability below the target
    shortfall: Decimal
    penalty: Decimal  # the month's total, capped
    incidents: int = 0
    late_responses: int = 0
    late_resolutions: int = 0
    response_hours: Decimal | None = None  # mean, of the incidents answered
    resolution_hours: Decimal | None = None  # mean, of the incidents resolved
    availability_penalty: Decimal = Decimal("0")
    incident_penalty: Decimal = Decimal("0")

    @property
    def breaches(self) -> int:
        return int(self.breach) + self.late_responses + self.late_resolutions


@dataclass
class Measured:
    service: ExternalService
    months: list[Month]

    @property
    def total(self) -> Decimal:
        return sum((m.penalty for m in self.months), Decimal("0"))


@dataclass
class MonthTotal:
    start: dt.date
    lowest: Decimal | None = None  # the lowest availability of the supplier's services
    incidents: int = 0
    late_responses: int = 0
    late_resolutions: int = 0
    breaches: int = 0
    penalty: Decimal = Decimal("0")


@dataclass
class SupplierTotal:
    supplier: Supplier
    services: list[Measured]
    months: list[MonthTotal] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((m.penalty for m in self.months), Decimal("0"))

    @property
    def breaches(self) -> int:
        return sum(m.breaches for m in self.months)


def month_count(raw: object, default: int = 6) -> int:
    """The number of months asked for: a whole number from 1 to 36 (ValueError otherwise)."""
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_MONTHS:
        raise ValueError(text)
    return int(text)


def month_starts(count: int, today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(month, dt.time(), zone), dt.datetime.combine(following, dt.time(), zone))


def _hours(seconds: float) -> Decimal:
    return Decimal(seconds / 3600).quantize(CENT, ROUND_HALF_UP)


@dataclass
class _Times:
    """One month's incidents of one system, as counted by one calendar."""

    incidents: int = 0
    late_responses: int = 0
    late_resolutions: int = 0
    responded: list[float] = field(default_factory=list)
    resolved: list[float] = field(default_factory=list)


def _incident_rows(system_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[tuple[int, float, float | None,
                                                                                              float | None]]:
    """(system, detected, acknowledged, resolved) as POSIX seconds, of the incidents detected in
    [start, end) that affected the systems. One query; the database converts the times (no
    datetime per row, as monitoring's availability does)."""
    if not system_ids:
        return []
    through = Incident.systems.through._meta
    incidents = Incident._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    values = ", ".join(["(%s)"] * len(system_ids))
    query = (f"WITH chosen(system) AS (VALUES {values}) "
             f"SELECT t.informationsystem_id, {epoch('i.detected_at')}, {epoch('i.acknowledged_at')}, "
             f"{epoch('i.resolved_at')} FROM {through.db_table} t JOIN chosen c ON c.system = t.informationsystem_id "
             f"JOIN {incidents} i ON i.id = t.incident_id WHERE i.detected_at >= %s AND i.detected_at < %s")
    with connection.cursor() as cursor:
        cursor.execute(query, [*system_ids, adapt(start), adapt(end)])
        return cursor.fetchall()


def _late(taken: float, target: Decimal | None) -> bool:
    return target is not None and taken > float(target) * 3600


def _times(services: Sequence[ExternalService], starts: list[dt.date], now: dt.datetime) -> dict[
        tuple[int, dt.date], _Times]:
    """Each service's incidents per month: counts, late ones, the times taken."""
    begin, end = _bounds(starts[0])[0], _bounds(starts[-1])[1]
    systems = sorted({s.system_id for s in services})
    rows = _incident_rows(systems, begin, end)
    latest = max([now.timestamp(), *(t for row in rows for t in row[1:] if t is not None)])
    clocks: dict[Hours, Counted] = {}

    def clock(hours: Hours) -> Counted:
        if hours not in clocks:
            clocks[hours] = Counted(service_spans(hours, begin.timestamp(), latest + 1))
        return clocks[hours]

    edges = [b.timestamp() for b in (_bounds(m)[0] for m in starts)]
    by_system: dict[int, list[tuple[int, float, float | None, float | None]]] = defaultdict(list)
    for row in rows:
        by_system[row[0]].append(row)
    found: dict[tuple[int, dt.date], _Times] = {}
    for service in services:
        contract = service.contract if service.contract_id else None
        counted = clock(WORKING if contract and contract.working_hours else ALWAYS)
        respond = contract.response_hours if contract else None
        resolve = contract.resolution_hours if contract else None
        for _, detected, acknowledged, resolved in by_system.get(service.system_id, ()):
            month = starts[bisect_right(edges, detected) - 1]
            times = found.setdefault((service.pk, month), _Times())
            times.incidents += 1
            answered = acknowledged or resolved
            response = counted.between(detected, answered or now.timestamp())
            resolution = counted.between(detected, resolved or now.timestamp())
            if answered:
                times.responded.append(response)
            if resolved:
                times.resolved.append(resolution)
            times.late_responses += _late(response, respond)
            times.late_resolutions += _late(resolution, resolve)
    return found


def _availability_rate(service: ExternalService, shortfall: Decimal) -> Decimal:
    if shortfall <= 0:
        return Decimal("0")
    steps = math.ceil(shortfall / service.penalty_step)
    return min(Decimal(steps) * service.penalty_rate, service.penalty_cap)


def _mean(values: list[float]) -> Decimal | None:
    return _hours(sum(values) / len(values)) if values else None


def _month(service: ExternalService, month: dt.date, percent: float | None, down: float, times: _Times) -> Month:
    target = service.target
    exact = Decimal(repr(percent)) if percent is not None else None
    value = exact.quantize(CENT, ROUND_HALF_UP) if exact is not None else None
    shortfall = (target - exact) if (target is not None and exact is not None and exact < target) else ZERO
    late = times.late_responses + times.late_resolutions
    breach = shortfall > 0
    penalty = for_availability = ZERO
    if breach or late:  # most months: nothing to work out
        availability_rate = _availability_rate(service, shortfall)
        total_rate = min(availability_rate + service.incident_penalty_rate * late, service.penalty_cap)
        penalty = (total_rate / 100 * service.monthly_fee).quantize(CENT, ROUND_HALF_UP)
        for_availability = (availability_rate / 100 * service.monthly_fee).quantize(CENT, ROUND_HALF_UP)
        shortfall = shortfall.quantize(Decimal("0.001"), ROUND_HALF_UP)
    return Month(month, value, target, round(down / 60), breach, shortfall, penalty, times.incidents,
                 times.late_responses, times.late_resolutions, _mean(times.responded), _mean(times.resolved),
                 for_availability, penalty - for_availability)


def rollup(services: Iterable[ExternalService], months: int = 6, now: dt.datetime | None = None) -> list[Measured]:
    """Each service's months. The services come with their contracts (select_related): the
    availability's queries (service levels, maintenance, down intervals) and one for the
    incidents, whatever their number."""
    services = list(services)
    now = now or timezone.now()
    starts = month_starts(max(1, min(months, MAX_MONTHS)), timezone.localtime(now).date())
    if not services:
        return []
    periods = {m.isoformat(): _bounds(m) for m in starts}
    measured = availability_in(sorted({s.system_id for s in services}), periods, now)
    times = _times(services, starts, now)
    result = []
    for service in services:
        rows = []
        for month in starts:
            measure = measured[month.isoformat()].get(service.system_id)
            rows.append(_month(service, month, measure.percent if measure else None, measure.down if measure else 0,
                               times.get((service.pk, month), _Times())))
        result.append(Measured(service, rows))
    return result


def statement(service: ExternalService, months: int = 6, now: dt.datetime | None = None) -> list[Month]:
    return rollup([service], months, now)[0].months


def by_supplier(measured: list[Measured]) -> list[SupplierTotal]:
    """The services' months totalled per supplier (suppliers by name, their services by name)."""
    grouped: dict[int, SupplierTotal] = {}
    for line in measured:
        supplier = line.service.supplier
        total = grouped.setdefault(supplier.pk, SupplierTotal(supplier, [], [MonthTotal(m.start) for m in line.months]))
        total.services.append(line)
        for sum_, month in zip(total.months, line.months, strict=True):
            if month.measured is not None:
                sum_.lowest = month.measured if sum_.lowest is None else min(sum_.lowest, month.measured)
            sum_.incidents += month.incidents
            sum_.late_responses += month.late_responses
            sum_.late_resolutions += month.late_resolutions
            sum_.breaches += month.breaches
            sum_.penalty += month.penalty
    return sorted(grouped.values(), key=lambda t: (t.supplier.name.casefold(), t.supplier.pk))
