"""The platform contract for every registered project model: pages, API, files, search, audit."""

import datetime as dt
from decimal import Decimal

from django.db import models

from irtis.changes.models import ChangeRequest
from irtis.projects.models import Milestone, Project, ProjectRisk, ProjectTask, StatusReport
from tests.procurement import factories as procurement
from tests.risks.factories import system
from tests.support.contract import ModelContract
from tests.virtualization.factories import cluster, server, vm

from . import factories as f


class TestProject(ModelContract):
    model = Project
    change = {"name": "Pervadintas projektas"}
    # The plan panel: the Gantt's tasks and milestones, the last status report.
    detail_budget = ModelContract.detail_budget + 3

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        start = field.related_model.objects.count()
        if field.name == "systems":
            return [system(f"PS{start + i}") for i in range(n)]
        if field.name == "contracts":
            return [procurement.contract(f"PS-{start + i}") for i in range(n)]
        if field.name == "procurements":
            return [procurement.procurement(f"Pirkimas {start + i}") for i in range(n)]
        if field.name == "changes":
            return [ChangeRequest.objects.create(title=f"Pakeitimas {start + i}", description="x") for i in range(n)]
        if field.name == "devices":
            return [server(f"srv-proj-{start + i}") for i in range(n)]
        if field.name == "virtual_machines":
            on = cluster(f"CL-PROJ-{start}")
            return [vm(f"vm-proj-{start + i}", on) for i in range(n)]
        return super().many_targets(field, n)

    def make(self, n: int) -> Project:
        return f.project(f"P-{n}")

    def new_values(self) -> dict:
        return {"code": "P-NAUJAS", "name": "Naujas projektas", "goal": "Tikslas", "status": "approved",
                "start": dt.date(2026, 2, 1), "end": dt.date(2026, 12, 31), "budget": Decimal("10000")}


class TestMilestone(ModelContract):
    model = Milestone
    change = {"name": "Pervadintas etapas"}

    def make(self, n: int) -> Milestone:
        return f.milestone(f.project(f"PM-{n}"), f"Etapas {n}", dt.date(2026, 3, 1))

    def new_values(self) -> dict:
        return {"project": f.project("PM-NEW"), "name": "Naujas etapas", "due": dt.date(2026, 6, 1)}


class TestProjectTask(ModelContract):
    model = ProjectTask
    change = {"progress": 50}

    def differ(self, name: str, first: ProjectTask, second: ProjectTask) -> str:
        if name == "milestone":  # a milestone of the task's own project
            first.milestone = f.milestone(first.project, "Etapas", dt.date(2026, 3, 1))
            first.save()
            return str(first.milestone_id)
        return super().differ(name, first, second)

    def make(self, n: int) -> ProjectTask:
        return f.task(f.project(f"PT-{n}"), f"Užduotis {n}")

    def new_values(self) -> dict:
        return {"project": f.project("PT-NEW"), "name": "Nauja užduotis", "start": dt.date(2026, 2, 1),
                "end": dt.date(2026, 2, 10), "progress": 0, "status": "planned"}


class TestStatusReport(ModelContract):
    model = StatusReport
    change = {"summary": "Pakeista santrauka"}

    def make(self, n: int) -> StatusReport:
        return StatusReport.objects.create(project=f.project(f"PR-{n}"), reported_on=dt.date(2026, 3, 1),
                                           health="green", progress=10, summary=f"Ataskaita {n}")

    def new_values(self) -> dict:
        return {"project": f.project("PR-NEW"), "reported_on": dt.date(2026, 3, 2), "health": "amber",
                "progress": 30, "summary": "Vėluoja tiekimas"}


class TestProjectRisk(ModelContract):
    model = ProjectRisk
    change = {"likelihood": 2}

    def make(self, n: int) -> ProjectRisk:
        return ProjectRisk.objects.create(project=f.project(f"PK-{n}"), title=f"Rizika {n}", likelihood=3, impact=3)

    def new_values(self) -> dict:
        return {"project": f.project("PK-NEW"), "title": "Tiekėjas vėluoja", "likelihood": 4, "impact": 4,
                "status": "open"}
