"""Projects, milestones and tasks for the tests."""

import datetime as dt
from typing import Any

from irtis.projects.models import Milestone, Project, ProjectTask

START = dt.date(2026, 1, 5)


def project(code: str = "P-1", start: dt.date = START, days: int = 180, **values: Any) -> Project:
    values.setdefault("name", f"Projektas {code}")
    values.setdefault("goal", "Atnaujinti infrastruktūrą")
    made = Project(code=code, start=start, end=start + dt.timedelta(days=days), **values)
    made.full_clean()
    made.save()
    return made


def task(of: Project | None, name: str, start: dt.date = START, days: int = 10, **values: Any) -> ProjectTask:
    made = ProjectTask(project=of, name=name, start=start, end=start + dt.timedelta(days=days), **values)
    made.full_clean()
    made.save()
    return made


def milestone(of: Project, name: str, due: dt.date, **values: Any) -> Milestone:
    return Milestone.objects.create(project=of, name=name, due=due, **values)
