"""The report's sections, each read from the capability that holds its data through that
capability's own functions, within what the reader may view (`user`; None: everything, as the
scheduled report). A section whose capability is not installed, or which has nothing for the
period, says so instead of showing empty tables.

Each section is one or two reads of its capability (the availability, SPOF and coverage
functions have their own fixed number of queries, whatever the estate's size)."""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N

from irtis.core import permissions

from .charts import Bar, Chart
from .models import Recommendation, Section
from .periods import Period

SHOWN = 15  # rows of a section's table; the rest are counted
CHARTED = 12  # bars of a chart
NEAR_DAYS = 180  # "near end of support": within this many days after the period
CONTRACT_DAYS = 90  # contracts ending within this many days after the period are listed
FULL = 80.0  # capacity used at or above this per cent is named
TREND_DAYS = 28  # a capacity trend is drawn over at least these days up to the period's end


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Part:
    key: str
    source: str  # the capability the data comes from
    facts: list[tuple[str, Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    empty: str = ""  # why there is nothing to show
    note: str = ""  # what the figures mean (e.g. "as of generation")

    @property
    def title(self) -> str:
        return str(Section(self.key).label)


@dataclass(frozen=True)
class Scope:
    period: Period
    user: Any
    now: dt.datetime

    @property
    def start(self) -> dt.datetime:
        return moment(self.period.first)

    @property
    def end(self) -> dt.datetime:
        return moment(self.period.end)

    @property
    def until(self) -> dt.datetime:
        """The period's end, or now for the current period."""
        return min(self.end, self.now)

    @property
    def reader(self) -> Any:
        return self.user if self.user is not None else EVERYONE

    def visible(self, queryset: Any) -> Any:
        return permissions.restrict(queryset, self.reader)


class _Everyone:
    """The scheduled report's reader, who may view every object (it goes to chosen recipients)."""

    is_active = is_authenticated = is_superuser = True
    pk = None


EVERYONE = _Everyone()


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def number(value: float | Decimal | None, places: int = 1) -> str:
    return "—" if value is None else number_format(round(float(value), places), places)


def percent(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{number(value, places)} %"


def hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{number(seconds / 3600, 1)} h"


def _missing(key: str, name: str) -> Part:
    return Part(key, name, empty=_("The %(capability)s capability is not installed, so this section has no data yet.")
                % {"capability": name})


def _nothing(part: Part, text: str) -> Part:
    part.empty = text
    return part


# --- sections ---------------------------------------------------------------------------------

def availability(scope: Scope) -> Part:
    from irtis.monitoring.availability import availability as measure
    from irtis.monitoring.summary import DEFAULT_TARGET
    from irtis.systems.models import InformationSystem

    part = Part(Section.AVAILABILITY, _("monitoring"))
    systems = list(scope.visible(InformationSystem.objects.all()).only("pk", "code", "name", "availability_target"))
    if not systems:
        return _nothing(part, _("No information systems are recorded."))
    found = measure([s.pk for s in systems], scope.start, scope.end, scope.until)
    measured = [(s, found[s.pk]) for s in systems if found[s.pk].measured > 0]
    if not measured:
        return _nothing(part, _("Monitoring measured no service time in this period."))
    below = [(s, m) for s, m in measured if (m.percent or 0) < float(s.availability_target or DEFAULT_TARGET)]
    down = sorted((p for p in measured if p[1].down > 0), key=lambda p: (-p[1].down, p[0].code))
    total = sum(m.measured for _s, m in measured)
    part.facts = [
        (_("Systems measured"), len(measured)),
        (_("Availability over all systems"), percent(100 * (1 - sum(m.down for _s, m in measured) / total))),
        (_("Systems below their target"), len(below)),
        (_("Systems with downtime"), len(down)),
    ]
    if down:
        part.tables.append(Table(_("Systems with the most downtime"),
                                 [_("System"), _("Availability"), _("Target"), _("Downtime")],
                                 [[f"{s.code} {s.name}", percent(m.percent),
                                   percent(float(s.availability_target or DEFAULT_TARGET)), hours(m.down)]
                                  for s, m in down[:SHOWN]]))
        part.charts.append(Chart(_("Downtime by system (hours)"), tuple(
            Bar(s.code, m.down / 3600, hours(m.down), "red" if (s, m) in below else "amber")
            for s, m in down[:CHARTED])))
    return part


def incidents(scope: Scope) -> Part:
    from irtis.monitoring.models import Incident, IncidentObject

    part = Part(Section.INCIDENTS, _("monitoring"))
    rows = list(scope.visible(Incident.objects.filter(detected_at__gte=scope.start, detected_at__lt=scope.end))
                .values_list("pk", "severity", "detected_at", "resolved_at"))
    if not rows:
        return _nothing(part, _("No incidents were detected in this period."))
    causes: dict[int, set[int]] = defaultdict(set)
    for incident, kind in IncidentObject.objects.filter(
            incident__in=[r[0] for r in rows], is_cause=True).values_list("incident", "object_type"):
        causes[incident].add(kind)
    by_cause: Counter[str] = Counter()
    count_by_cause: Counter[str] = Counter()
    resolved: dict[str, list[float]] = defaultdict(list)
    for pk, severity, detected, solved in rows:
        lasted = ((solved or scope.until) - detected).total_seconds()
        names = sorted(str(ContentType.objects.get_for_id(k).model_class()._meta.verbose_name)  # type: ignore[union-attr]
                       for k in causes[pk]) or [_("no cause found by the checks")]
        for name in names:
            by_cause[name] += max(0.0, lasted)
            count_by_cause[name] += 1
        if solved is not None:
            resolved[severity].append((solved - detected).total_seconds())
    per_severity = Counter(r[1] for r in rows)
    everything = [s for times in resolved.values() for s in times]
    part.facts = [
        (_("Incidents detected"), len(rows)),
        (_("Resolved"), len(everything)),
        (_("Still open"), len(rows) - len(everything)),
        (_("Median time to resolve"), hours(statistics.median(everything)) if everything else "—"),
    ]
    labels = dict(Incident.Severity.choices)
    part.tables.append(Table(_("By severity"), [_("Severity"), _("Incidents"), _("Resolved"),
                                                _("Median time to resolve"), _("Longest time to resolve")],
                             [[labels[s], per_severity[s], len(resolved[s]),
                               hours(statistics.median(resolved[s])) if resolved[s] else "—",
                               hours(max(resolved[s])) if resolved[s] else "—"]
                              for s in Incident.Severity.values if per_severity[s]]))
    part.tables.append(Table(_("Downtime by cause"), [_("Cause"), _("Incidents"), _("Duration")],
                             [[name, count_by_cause[name], hours(seconds)]
                              for name, seconds in by_cause.most_common()]))
    part.charts.append(Chart(_("Incidents by severity"), tuple(
        Bar(str(labels[s]), per_severity[s], str(per_severity[s]), colour)
        for s, colour in zip(Incident.Severity.values, ("red", "amber", "blue", "grey"), strict=True))))
    part.charts.append(Chart(_("Incident duration by cause (hours)"), tuple(
        Bar(name, seconds / 3600, hours(seconds), "amber") for name, seconds in by_cause.most_common(CHARTED))))
    return part


def spof(scope: Scope) -> Part:
    from irtis.systems.graph import spof_report
    from irtis.systems.models import InformationSystem

    part = Part(Section.SPOF, _("information systems"), note=_("As recorded when the report was generated."))
    systems = scope.visible(InformationSystem.objects.filter(category__rank=1)).select_related("category")
    found = spof_report(systems, scope.user)
    if not found:
        return _nothing(part, _("No category I systems are recorded."))
    weak = sorted(((s, points) for s, points in found.items() if points), key=lambda p: (-len(p[1]), p[0].code))
    part.facts = [(_("Category I systems"), len(found)), (_("With a single point of failure"), len(weak))]
    if weak:
        part.tables.append(Table(_("Category I systems with single points of failure"),
                                 [_("System"), _("Single points"), _("Objects")],
                                 [[f"{s.code} {s.name}", len(points), ", ".join(p.label for p in points[:5])
                                   + (" …" if len(points) > 5 else "")] for s, points in weak[:SHOWN]]))
        part.charts.append(Chart(_("Single points of failure by system"), tuple(
            Bar(s.code, len(points), str(len(points)), "red") for s, points in weak[:CHARTED])))
    return part


def support(scope: Scope) -> Part:
    from irtis.inventory.models import Device
    from irtis.inventory.reports import out_of_support_counts

    part = Part(Section.SUPPORT, _("inventory"), note=_(
        "Past: support ended before the period's end; near: it ends within %(days)s days after it.")
        % {"days": NEAR_DAYS})
    horizon = scope.period.end + dt.timedelta(days=NEAR_DAYS)
    software = {version: (cast(dt.date, version.support_ends), n)
                for version, n in out_of_support_counts(scope.reader, on=horizon).items()}
    devices = list(scope.visible(Device.objects.exclude(status=Device.Status.RETIRED))
                   .annotate(ends=Coalesce("support_end", "hardware_model__end_of_support"))
                   .filter(ends__lt=horizon).values_list("hardware_model__name", "ends"))
    hardware: dict[tuple[str, dt.date], int] = Counter(devices)
    if not software and not hardware:
        return _nothing(part, _("Nothing recorded runs past or near the end of its support."))

    def state(day: dt.date) -> str:
        return _("past") if day < scope.period.end else _("near")

    past_software = sum(n for ended, n in software.values() if ended < scope.period.end)
    all_software = sum(n for _ended_on, n in software.values())
    past_hardware = sum(n for (_m, day), n in hardware.items() if day < scope.period.end)
    part.facts = [
        (_("Software installations past end of support"), past_software),
        (_("Software installations near end of support"), all_software - past_software),
        (_("Devices past end of support"), past_hardware),
        (_("Devices near end of support"), len(devices) - past_hardware),
    ]
    versions = sorted(software.items(), key=lambda kv: (kv[1][0], str(kv[0])))
    if versions:
        part.tables.append(Table(_("Software"), [_("Version"), _("Support ends"), _("State"), _("Installations")],
                                 [[str(v), ended, state(ended), n] for v, (ended, n) in versions[:SHOWN]]))
    if hardware:
        part.tables.append(Table(_("Hardware"), [_("Hardware model"), _("Support ends"), _("State"), _("Devices")],
                                 [[name, day, state(day), n] for (name, day), n in sorted(
                                     hardware.items(), key=lambda kv: (kv[0][1], kv[0][0]))[:SHOWN]]))
    part.charts.append(Chart(_("Past and near end of support"), (
        Bar(_("Software past"), past_software, str(past_software), "red"),
        Bar(_("Software near"), all_software - past_software, str(all_software - past_software), "amber"),
        Bar(_("Devices past"), past_hardware, str(past_hardware), "red"),
        Bar(_("Devices near"), len(devices) - past_hardware, str(len(devices) - past_hardware), "amber"),
    )))
    return part


def backups(scope: Scope) -> Part:
    from irtis.backups.coverage import report
    from irtis.backups.models import BackupPolicy, RestoreDrill, Result
    from irtis.systems.models import InformationSystem

    part = Part(Section.BACKUPS, _("backups"), note=_("Coverage as recorded when the report was generated; "
                                                       "drills of the period."))
    found = report(scope.visible(InformationSystem.objects.all()), scope.visible(BackupPolicy.objects.all()),
                   scope.until)
    drills = dict(scope.visible(RestoreDrill.objects.filter(started_at__gte=scope.start, started_at__lt=scope.end))
                  .values("result").annotate(n=Count("id")).values_list("result", "n"))
    if not found.policies and not found.unprotected_count and not drills:
        return _nothing(part, _("No backup policies or restore drills are recorded."))
    problems = Counter(problem for state in found.policies for problem in state.problems)
    part.facts = [
        (_("Backup policies"), len(found.policies)),
        (_("Policies meeting every requirement"), len(found.policies) - len(found.failing)),
        (_("Objects of category I–II systems without a policy"), found.unprotected_count),
        (_("Restore drills in the period"), sum(drills.values())),
    ]
    labels = dict(Result.choices)
    if drills:
        part.tables.append(Table(_("Restore drills by result"), [_("Result"), _("Drills")],
                                 [[labels.get(r, r), n] for r, n in sorted(drills.items())]))
    if problems:
        part.tables.append(Table(_("Policies' problems"), [_("Problem"), _("Policies")],
                                 [[text, n] for text, n in problems.most_common(SHOWN)]))
    compliant = len(found.policies) - len(found.failing)
    part.charts.append(Chart(_("Backup compliance"), (
        Bar(_("Policies compliant"), compliant, str(compliant), "green"),
        Bar(_("Policies with problems"), len(found.failing), str(len(found.failing)), "red"),
        Bar(_("Unprotected objects"), found.unprotected_count, str(found.unprotected_count), "amber"),
        *(Bar(str(labels.get(r, r)), n, str(n), "green" if r == "passed" else "grey")
          for r, n in sorted(drills.items())),
    )))
    return part


def security(scope: Scope) -> Part:
    from irtis.security.dashboard import board

    part = Part(Section.SECURITY, _("security"), note=_("The latest evaluation of each control."))
    made = board(scope.reader)
    if not made.controls:
        return _nothing(part, _("No security controls apply yet."))
    failed = [row for row in made.controls if row.result and row.result.status == "failed"]
    part.facts = [(_("Controls that apply"), len(made.controls)), (_("Controls failing"), len(failed))]
    part.tables.append(Table(_("Compliance by framework"),
                             [_("Framework"), _("Passed"), _("Failed"), _("Unknown"), _("Not evaluated"),
                              _("Compliance")],
                             [[f"{f.code} {f.edition}".strip(), t.passed, t.failed, t.unknown, t.not_evaluated,
                               percent(t.percent, 0)] for f, t in made.frameworks if t.total]))
    if failed:
        part.tables.append(Table(_("Controls failing"), [_("Control"), _("Name")],
                                 [[row.control.code, row.control.title] for row in failed[:SHOWN]]))
    part.charts.append(Chart(_("Compliance by framework (%)"), tuple(
        Bar(f.code, t.percent or 0, percent(t.percent, 0), "green" if (t.percent or 0) >= FULL else "amber")
        for f, t in made.frameworks if t.total)[:CHARTED], maximum=100))
    return part


def capacity(scope: Scope) -> Part:
    from irtis.inventory.models import StorageCapacity
    from irtis.network.models import Prefix
    from irtis.virtualization.capacity import Capacity
    from irtis.virtualization.models import Cluster

    part = Part(Section.CAPACITY, _("virtualisation, inventory and networks"))
    clusters = [(c, Capacity.of(c)) for c in scope.visible(Cluster.objects.with_capacity())]
    arrays = list(scope.visible(StorageCapacity.objects.select_related("device")).filter(usable_tb__gt=0))
    prefixes = list(scope.visible(Prefix.objects.filter(status=Prefix.Status.CONTAINER)).values_list(
        "pk", "prefix", "vrf__name", "utilisation"))
    if not clusters and not arrays and not prefixes:
        return _nothing(part, _("No clusters, disk arrays or address containers are recorded."))
    if clusters:
        part.tables.append(Table(_("Clusters"), [_("Cluster"), _("Hosts"), _("Virtual machines"), _("vCPU per core"),
                                                 _("Memory allocated"), _("Disk allocated")],
                                 [[c.name, cap.hosts, cap.vms, number(cap.vcpu_ratio, 2),
                                   percent(None if cap.memory_ratio is None else 100 * cap.memory_ratio, 0),
                                   percent(None if not cap.storage_gb else 100 * cap.disk_gb / cap.storage_gb, 0)]
                                  for c, cap in clusters[:SHOWN]]))
        shares = sorted(((c.name, 100 * cap.memory_ratio) for c, cap in clusters if cap.memory_ratio is not None),
                        key=lambda p: -p[1])
        part.charts.append(Chart(_("Cluster memory allocated (%)"), tuple(
            Bar(name, share, percent(share, 0), "red" if share >= 100 else "amber" if share >= FULL else "green")
            for name, share in shares[:CHARTED]), maximum=max([100.0, *(s for _n, s in shares[:CHARTED])])))
    if arrays:
        used = sorted(((a.device.name, float(100 * a.used_tb / a.usable_tb), a) for a in arrays), key=lambda p: -p[1])
        part.tables.append(Table(_("Disk arrays"), [_("Disk array"), _("Usable (TB)"), _("Used (TB)"), _("Used")],
                                 [[name, a.usable_tb, a.used_tb, percent(share, 0)]
                                  for name, share, a in used[:SHOWN]]))
        part.charts.append(Chart(_("Disk arrays used (%)"), tuple(
            Bar(name, share, percent(share, 0), "red" if share >= FULL else "green")
            for name, share, _a in used[:CHARTED]),
            maximum=100))
    full = sorted((p for p in prefixes if (p[3] or 0) >= FULL), key=lambda p: -(p[3] or 0))
    found = _trends(scope, {c.pk for c, _cap in clusters}, {a.pk for a in arrays}, {p[0] for p in prefixes})
    year = scope.period.end + dt.timedelta(days=365)
    part.facts = [(_("Clusters"), len(clusters)), (_("Disk arrays"), len(arrays)),
                  (_("Address containers"), len(prefixes)),
                  (_("Address containers at least %(share)s %% used") % {"share": int(FULL)}, len(full)),
                  (_("Capacities reaching 100 % within a year at the period's pace"),
                   sum(t.full_on is not None and t.full_on < year for t in found))]
    if full:
        part.tables.append(Table(_("Address space nearly used up"), [_("Address block"), _("VRF"), _("Used")],
                                 [[p, vrf or "—", percent(share, 0)] for _pk, p, vrf, share in full[:SHOWN]]))
    if not found:
        part.note = _("As recorded when the report was generated: no capacity was sampled over at least a week of "
                      "the period or its last four weeks (the daily job “Record capacity”), so no trend is drawn.")
        return part
    part.note = _("Tables of clusters, disk arrays and address space: as recorded when the report was generated. "
                  "Trends: a straight line through the daily samples of the period, or of its last four weeks "
                  "when it is shorter.")
    found.sort(key=lambda t: (t.full_on or dt.date.max, -t.last))
    part.tables.append(Table(_("Capacity trends"), [_("Object"), _("Measure"), _("At the start"), _("At the end"),
                                                    _("Change per 30 days"), _("100 % reached on")],
                             [[t.name, t.label, percent(t.first, 0), percent(t.last, 0),
                               _("%(points)s pp") % {"points": number(t.per_30_days, 1)}, t.full_on or "—"]
                              for t in found[:SHOWN]]))
    rising = sorted((t for t in found if t.change > 0), key=lambda t: -t.change)[:CHARTED]
    if rising:
        part.charts.append(Chart(_("Largest growth in the period (percentage points)"), tuple(
            Bar(f"{t.name}: {t.label}", t.change, f"+{number(t.change, 1)}",
                "red" if t.full_on and t.full_on < year else "amber") for t in rising)))
    return part


def _trends(scope: Scope, clusters: set[int], arrays: set[int], prefixes: set[int]) -> list[Any]:
    """The period's capacity trends of the objects the reader may view."""
    from .capacity import Kind, trends
    from .models import CapacitySample

    visible: dict[str, set[int]] = {Kind.CLUSTER_MEMORY: clusters, Kind.CLUSTER_VCPU: clusters,
                                    Kind.CLUSTER_DISK: clusters, Kind.STORAGE: arrays, Kind.ADDRESSES: prefixes}
    # The period's samples, and at least its last four weeks: the first days of this month's
    # dashboard would have none worth a line.
    end = min(scope.period.end, timezone.localdate(scope.now) + dt.timedelta(days=1))
    start = min(scope.period.first, end - dt.timedelta(days=TREND_DAYS))
    samples = CapacitySample.objects.filter(day__gte=start, day__lt=end).order_by(
        "day").values_list("kind", "object_id", "name", "day", "percent")
    return trends(row for row in samples if row[1] in visible[row[0]])


def contracts(scope: Scope) -> Part:
    from irtis.procurement.models import Contract

    part = Part(Section.CONTRACTS, _("procurement"), note=_(
        "Contracts in force ending in the period or within %(days)s days after it.") % {"days": CONTRACT_DAYS})
    ending = list(scope.visible(Contract.objects.filter(
        status=Contract.Status.ACTIVE, end__gte=scope.period.first,
        end__lt=scope.period.end + dt.timedelta(days=CONTRACT_DAYS))).select_related("supplier").order_by("end", "id"))
    if not ending:
        return _nothing(part, _("No contract in force ends in the period or soon after it."))
    part.facts = [(_("Contracts ending"), len(ending)),
                  (_("Of them in the period"), sum(c.end < scope.period.end for c in ending))]
    part.tables.append(Table(_("Contracts ending"), [_("Contract"), _("Supplier"), _("Contract subject"), _("Ends"),
                                                     _("Last day of notice")],
                             [[c.number, c.supplier.name, c.subject, c.end, c.notice_date or "—"]
                              for c in ending[:SHOWN]]))
    return part


def servicedesk(scope: Scope) -> Part:
    from irtis.servicedesk.models import Request

    part = Part(Section.SERVICEDESK, _("service desk"))
    requests = scope.visible(Request.objects.all())
    received = Q(received_at__gte=scope.start, received_at__lt=scope.end)
    solved = Q(resolved_at__gte=scope.start, resolved_at__lt=scope.end)
    figures = requests.aggregate(
        received=Count("id", filter=received),
        resolved=Count("id", filter=solved),
        in_time=Count("id", filter=solved & Q(resolved_at__lte=F("resolution_due"))),
        open=Count("id", filter=Q(received_at__lt=scope.end) & (Q(resolved_at__isnull=True)
                                                               | Q(resolved_at__gte=scope.end))),
        rating=Avg("rating", filter=solved),
    )
    if not figures["received"] and not figures["resolved"] and not figures["open"]:
        return _nothing(part, _("The service desk received no requests in this period."))
    by_priority = dict(requests.filter(received).values("priority").annotate(n=Count("id"))
                       .values_list("priority", "n"))
    part.facts = [
        (_("Requests received"), figures["received"]),
        (_("Requests resolved"), figures["resolved"]),
        (_("Resolved within the target"), percent(100 * figures["in_time"] / figures["resolved"], 0)
         if figures["resolved"] else "—"),
        (_("Open at the end of the period"), figures["open"]),
        (_("Average satisfaction (1–5)"), number(figures["rating"], 2)),
    ]
    if by_priority:
        part.charts.append(Chart(_("Requests received by priority"), tuple(
            Bar(p, n, str(n), "red" if p in ("P1", "P2") else "blue") for p, n in sorted(by_priority.items()))))
    return part


def follow_up(scope: Scope) -> Part:
    part = Part(Section.FOLLOW_UP, _("management reports and projects"))
    today = timezone.localdate(scope.now)
    open_ones = list(scope.visible(Recommendation.objects.filter(status__in=Recommendation.OPEN))
                     .select_related("owner").order_by("due", "id"))
    done = scope.visible(Recommendation.objects.filter(
        status=Recommendation.Status.DONE, updated__gte=scope.start, updated__lt=scope.end)).count()
    late_tasks: list[tuple[str, int]] = []
    if apps.is_installed("irtis.projects"):
        from irtis.projects.models import ProjectTask

        late_tasks = list(scope.visible(ProjectTask.objects.exclude(status__in=ProjectTask.CLOSED).filter(
            end__lt=min(scope.period.end, today))).values("responsible__username").annotate(n=Count("id"))
            .order_by("-n", "responsible__username").values_list("responsible__username", "n"))
    if not open_ones and not done and not late_tasks:
        return _nothing(part, _("No recommendation is open and no task is late."))
    overdue = [r for r in open_ones if r.due < today]
    part.facts = [(_("Open recommendations"), len(open_ones)), (_("Of them overdue"), len(overdue)),
                  (_("Implemented in the period"), done),
                  (_("Late project tasks"), sum(n for _u, n in late_tasks))]
    if open_ones:
        part.tables.append(Table(_("Open recommendations"), [_("What"), _("Owner"), _("Due"), _("Status")],
                                 [[r.title, r.owner.get_full_name() or r.owner.username, r.due, r.get_status_display()]
                                  for r in open_ones[:SHOWN]]))
    if late_tasks:
        part.tables.append(Table(_("Late project tasks by responsible person"), [_("Responsible"), _("Late tasks")],
                                 [[name or _("nobody"), n] for name, n in late_tasks[:SHOWN]]))
    return part


# The sections in the report's order, each with the app that holds its data.
SECTIONS: tuple[tuple[Callable[[Scope], Part], str, Any], ...] = (
    (availability, "irtis.monitoring", N("monitoring")),
    (incidents, "irtis.monitoring", N("monitoring")),
    (spof, "irtis.systems", N("information systems")),
    (support, "irtis.inventory", N("inventory")),
    (backups, "irtis.backups", N("backups")),
    (security, "irtis.security", N("security")),
    (capacity, "irtis.virtualization", N("virtualisation, inventory and networks")),
    (contracts, "irtis.procurement", N("procurement")),
    (servicedesk, "irtis.servicedesk", N("service desk")),
    (follow_up, "irtis.reports", N("management reports and projects")),
)


def collect(period: Period, user: Any, now: dt.datetime | None = None) -> list[Part]:
    """Every section of the report of `period` as `user` may see it (None: everything)."""
    scope = Scope(period, user, now or timezone.now())
    parts = []
    for read, app, name in SECTIONS:
        if not apps.is_installed(app):
            parts.append(_missing(read.__name__, str(name)))
            continue
        parts.append(read(scope))
    return parts
