"""The portfolio: every project a reader may see with its health, progress, money, next
milestone and what is late, in a fixed number of queries; and one project's Gantt."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from irtis.core import permissions

from . import gantt
from .models import Health, Milestone, Project, ProjectRisk, ProjectTask, StatusReport

HIGH_RISK = 15  # likelihood × impact from which a risk counts as high


@dataclass
class Line:
    project: Project
    health: str | None
    reported_on: dt.date | None
    next_milestone: dt.date | None
    high_risks: int
    progress: int = 0
    late_tasks: list[ProjectTask] = field(default_factory=list)

    @property
    def health_label(self) -> str:
        return str(Health(self.health).label) if self.health else ""

    @property
    def overrun(self) -> bool:
        """Spent more than the budget."""
        p = self.project
        return p.budget is not None and p.spent is not None and p.spent > p.budget


def progress(tasks: Iterable[ProjectTask]) -> int:
    """The share of the work done: each task's progress weighted by its length in days;
    cancelled tasks left out."""
    weight = done = 0
    for task in tasks:
        if task.status == ProjectTask.Status.CANCELLED:
            continue
        days = (task.end - task.start).days + 1
        weight += days
        done += days * task.done_share
    return round(done / weight) if weight else 0


def is_late(task: ProjectTask, today: dt.date) -> bool:
    return task.end < today and task.status not in ProjectTask.CLOSED


def lines(user: Any, projects: QuerySet[Project], today: dt.date | None = None) -> list[Line]:
    """A line per project the user may view. Two queries: the projects with their latest report,
    next milestone and high risks; their tasks the user may view."""
    today = today or timezone.localdate()
    latest = StatusReport.objects.filter(project=OuterRef("pk")).order_by("-reported_on", "-id")
    milestone = Milestone.objects.filter(project=OuterRef("pk"), done_on__isnull=True).order_by("due")
    high = ProjectRisk.objects.filter(project=OuterRef("pk"), status=ProjectRisk.Status.OPEN) \
        .annotate(points=F("likelihood") * F("impact")).filter(points__gte=HIGH_RISK) \
        .values("project").annotate(n=Count("pk")).values("n")
    found = list(permissions.restrict(projects, user).select_related("manager").annotate(
        health=Subquery(latest.values("health")[:1]),
        reported_on=Subquery(latest.values("reported_on")[:1]),
        next_milestone=Subquery(milestone.values("due")[:1]),
        high_risks=Coalesce(Subquery(high), 0),
    ))
    tasks: dict[int, list[ProjectTask]] = defaultdict(list)
    for task in permissions.restrict(ProjectTask.objects.filter(project__in=[p.pk for p in found]), user) \
            .select_related("responsible"):
        tasks[task.project_id].append(task)
    return [Line(p, p.health, p.reported_on, p.next_milestone, p.high_risks, progress(tasks[p.pk]),
                 [t for t in tasks[p.pk] if is_late(t, today)]) for p in found]


def chart(lines: list[Line], today: dt.date | None = None) -> Any:
    """The portfolio's Gantt: a bar per project, coloured by its last reported health."""
    return gantt.draw([gantt.Bar(str(line.project), line.project.start, line.project.end, line.progress,
                                 line.health or "grey", line.project.get_absolute_url()) for line in lines],
                      today=today or timezone.localdate())


def project_chart(user: Any, project: Project, tasks: Iterable[ProjectTask], today: dt.date) -> Any:
    """One project's Gantt: its `tasks` (those the user may view), coloured by status, and its
    milestones the user may view."""
    colours: dict[str, str] = {ProjectTask.Status.DONE: "green", ProjectTask.Status.BLOCKED: "red",
                               ProjectTask.Status.CANCELLED: "grey"}
    bars = [gantt.Bar(t.name, t.start, t.end, t.done_share,
                      "red" if is_late(t, today) else colours.get(t.status, "blue"), t.get_absolute_url())
            for t in tasks]
    marks = [gantt.Mark(m.name, m.due, m.done_on is not None)
             for m in permissions.restrict(project.milestones.all(), user)]
    return gantt.draw(bars, marks, today)
