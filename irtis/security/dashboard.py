"""The compliance figures: per framework, per system and per control with its recent history.
A fixed number of queries whatever the number of controls, systems and results (the latest
results by a subquery, the history by a window function), shared by the page and the API."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from .evaluation import Status
from .models import Control, ControlResult, Framework, RequirementMapping, SystemResult

HISTORY = 14  # results per control in the history strip


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    not_evaluated: int = 0

    def add(self, status: str | None, count: int = 1) -> None:
        name = status or "not_evaluated"
        setattr(self, name, getattr(self, name) + count)

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.unknown + self.not_evaluated

    @property
    def percent(self) -> int | None:
        """Passed of those that apply (not applicable ones left out); None when none apply."""
        return round(100 * self.passed / self.total) if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": self.failed, "unknown": self.unknown,
                "not_applicable": self.not_applicable, "not_evaluated": self.not_evaluated,
                "percent": self.percent}


@dataclass
class Row:
    control: Control
    result: ControlResult | None
    history: list[tuple[Any, str]] = field(default_factory=list)  # (time, status), oldest first
    frameworks: set[int] = field(default_factory=set)


@dataclass
class Board:
    frameworks: list[tuple[Framework, Tally]]
    systems: list[tuple[InformationSystem, Tally]]
    controls: list[Row]
    trend: dict[int, list[tuple[Any, int | None]]] = field(default_factory=dict)  # framework → (time, %)

    def framework_rows(self) -> list[tuple[Framework, Tally, list[tuple[Any, int | None]]]]:
        return [(f, t, self.trend.get(f.pk, [])) for f, t in self.frameworks]

    def as_dict(self) -> dict[str, Any]:
        return {
            "frameworks": [{"id": f.pk, "code": f.code, "edition": f.edition, **t.as_dict(),
                            "trend": [{"time": time.isoformat(), "percent": p} for time, p in self.trend.get(f.pk, [])]}
                           for f, t in self.frameworks],
            "systems": [{"id": s.pk, "code": s.code, **t.as_dict()} for s, t in self.systems],
            "controls": [{
                "id": r.control.pk, "code": r.control.code, "kind": r.control.kind,
                "status": r.result.status if r.result else None,
                "time": r.result.time.isoformat() if r.result else None,
                "checked": r.result.checked if r.result else None, "failed": r.result.failed if r.result else None,
                "frameworks": sorted(r.frameworks),
                "history": [{"time": t.isoformat(), "status": s} for t, s in r.history],
            } for r in self.controls],
        }


def control_frameworks(controls: QuerySet) -> dict[int, set[int]]:
    """The frameworks each control gives evidence for: its requirements' and those mapped to them
    (either way). Two queries."""
    direct: dict[int, set[int]] = defaultdict(set)  # control → requirement ids
    framework_of: dict[int, int] = {}
    through = Control.requirements.through.objects.filter(control__in=controls)
    for control_id, requirement_id, framework_id in through.values_list(
            "control", "requirement", "requirement__framework"):
        direct[control_id].add(requirement_id)
        framework_of[requirement_id] = framework_id
    linked: dict[int, set[int]] = defaultdict(set)  # requirement → frameworks mapped to it
    for source, source_fw, target, target_fw in RequirementMapping.objects.filter(
            Q(source__in=framework_of) | Q(target__in=framework_of)).values_list(
            "source", "source__framework", "target", "target__framework"):
        linked[source].add(target_fw)
        linked[target].add(source_fw)
    return {c: {framework_of[r] for r in reqs} | {f for r in reqs for f in linked[r]} for c, reqs in direct.items()}


def latest(controls: QuerySet) -> QuerySet:
    """The latest result of each control (one query with a correlated subquery on the index)."""
    newest = ControlResult.objects.filter(control=OuterRef("control")).order_by("-time", "-id").values("id")[:1]
    return ControlResult.objects.filter(control__in=controls, id=Subquery(newest))


def board(user: Any) -> Board:
    controls = permissions.restrict(Control.objects.all(), user)
    frameworks = list(permissions.restrict(Framework.objects.all(), user))
    linked = control_frameworks(controls)
    results = {r.control_id: r for r in latest(controls).defer("deviations", "data")}
    ranked = ControlResult.objects.filter(control__in=controls).annotate(
        n=Window(RowNumber(), partition_by=[F("control")], order_by=[F("time").desc(), F("id").desc()]),
    ).filter(n__lte=HISTORY).values_list("control", "time", "status")
    history: dict[int, list[tuple[Any, str]]] = defaultdict(list)
    for control_id, time, status in ranked:
        history[control_id].append((time, status))
    rows = []
    tallies = {f.pk: Tally() for f in frameworks}
    for control in controls:
        if not control.applies:
            continue
        result = results.get(control.pk)
        row = Row(control, result, sorted(history[control.pk]), linked.get(control.pk, set()))
        rows.append(row)
        for framework_id in row.frameworks:
            if framework_id in tallies:
                tallies[framework_id].add(result.status if result else None)
    per_system: dict[int, Tally] = defaultdict(Tally)
    for system_id, status, count in SystemResult.objects.filter(result__in=list(results.values())).values(
            "system", "status").annotate(n=Count("id")).values_list("system", "status", "n"):
        per_system[system_id].add(status, count)
    systems = permissions.restrict(InformationSystem.objects.filter(pk__in=list(per_system)), user).order_by("code")
    return Board(
        frameworks=[(f, tallies[f.pk]) for f in frameworks],
        systems=[(s, per_system[s.pk]) for s in systems.only("pk", "code", "name")],
        controls=rows,
        trend=_trend(rows, set(tallies)),
    )


def _trend(rows: list[Row], frameworks: set[int]) -> dict[int, list[tuple[Any, int | None]]]:
    """Each framework's % passed at each of the last evaluations (one evaluation writes all its
    results with one time), from the controls' history strips: no further query."""
    times = sorted({time for row in rows for time, _status in row.history})[-HISTORY:]
    by_time: dict[Any, dict[int, Tally]] = {time: defaultdict(Tally) for time in times}
    for row in rows:
        for time, status in row.history:
            if time in by_time:
                for framework_id in row.frameworks & frameworks:
                    by_time[time][framework_id].add(status)
    return {f: [(time, by_time[time][f].percent) for time in times if f in by_time[time]] for f in frameworks}


def soa(framework: Framework, user: Any) -> list[dict[str, Any]]:
    """The statement of applicability: each requirement, the controls that serve it (directly or
    through a mapping), their latest status, and the exclusions with their justification."""
    controls = permissions.restrict(Control.objects.all(), user)
    requirements = list(framework.requirements.filter(withdrawn=False))
    ids = [r.pk for r in requirements]
    mapped: dict[int, set[int]] = defaultdict(set)
    for source, target in RequirementMapping.objects.filter(Q(source__in=ids) | Q(target__in=ids)).values_list(
            "source", "target"):
        mapped[source].add(target)
        mapped[target].add(source)
    serving: dict[int, set[int]] = defaultdict(set)  # requirement → controls
    for control_id, requirement_id in Control.requirements.through.objects.filter(
            control__in=controls).values_list("control", "requirement"):
        serving[requirement_id].add(control_id)
    by_pk = {c.pk: c for c in controls.prefetch_related("exclusions__system")}
    results = {r.control_id: r for r in latest(controls).defer("deviations", "data")}
    rows = []
    for requirement in requirements:
        chosen = serving[requirement.pk] | {c for other in mapped[requirement.pk] for c in serving[other]}
        found = sorted((by_pk[c] for c in chosen if c in by_pk), key=lambda c: c.code)
        statuses = [results[c.pk].status if c.pk in results else None for c in found if c.applies]
        rows.append({
            "requirement": requirement,
            "controls": [(c, results.get(c.pk)) for c in found],
            "applicable": bool(statuses) if found else None,
            "status": _overall(statuses),
            "exclusions": [e for c in found for e in c.exclusions.all()],
        })
    return rows


def _overall(statuses: list[str | None]) -> str | None:
    """Failed if any failed; unknown if any is unknown or not evaluated; else passed."""
    if not statuses:
        return None
    if Status.FAILED in statuses:
        return Status.FAILED
    if Status.UNKNOWN in statuses or None in statuses:
        return Status.UNKNOWN
    if all(s == Status.NOT_APPLICABLE for s in statuses):
        return Status.NOT_APPLICABLE
    return Status.PASSED
