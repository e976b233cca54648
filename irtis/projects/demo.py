"""Demo projects of the division: the second data centre's renewal, the move to Oracle 19c
RU patches, network segmentation and the e-mail migration, with milestones, tasks, status
reports and risks dated around today, so that the portfolio shows late and coming work.

Every look-up of the estate must find something: a missing system, contract or change raises."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from irtis.changes.models import ChangeRequest
from irtis.core.demo import ensure
from irtis.procurement.models import Contract, Procurement
from irtis.systems.models import InformationSystem

from .models import Health, Milestone, Project, ProjectRisk, ProjectTask, StatusReport

PEOPLE = (  # username, first name, last name, role
    ("v.vadovas", "Vytautas", "Vadovas", "manager"),
    ("a.projektaite", "Agnė", "Projektaitė", "architect"),
)
# code, name, goal, manager, status, start and end (days from today), budget, spent,
# systems, contracts, procurements, changes
PROJECTS = [
    ("P-2026-01", "Rezervinio duomenų centro (DC2) atnaujinimas",
     "Perkelti I kategorijos sistemų rezervines kopijas į atnaujintą DC2 ir patikrinti perjungimą per 4 val.",
     "a.projektaite", Project.Status.IN_PROGRESS, -120, 180, "480000", "215000",
     ("MDAS", "NTKS"), ("2024/DC-17",), ("Tarnybinių stočių pirkimas 2026",), ()),
    ("P-2026-02", "Oracle RAC pataisų ciklas",
     "Įdiegti Oracle 19c Release Update visiems RAC mazgams be paslaugos sustabdymo.",
     "a.projektaite", Project.Status.IN_PROGRESS, -30, 45, "25000", "31000",
     ("MDAS", "iMDAS"), ("2025/ORA-03",), (), ("Oracle 19.24 RU RAC A mazgams",)),
    ("P-2026-03", "Tinklo segmentavimas pagal zonas",
     "Atskirti administravimo, DMZ ir vidinius segmentus; srautus leisti tik pagal patvirtintą matricą.",
     "v.vadovas", Project.Status.APPROVED, 30, 300, "120000", None, (), (), (), ("FortiOS atnaujinimas",)),
    ("P-2025-07", "ESXi 8 diegimas DMZ klasteryje", "Atnaujinti DMZ klasterį į VMware ESXi 8.0 U3.",
     "a.projektaite", Project.Status.COMPLETED, -300, -60, "15000", "14200", (), (), (),
     ("ESXi 8.0 U3 DMZ klasteryje",)),
]
# project, name, due (days from today), reached (days from today or None)
MILESTONES = [
    ("P-2026-01", "Įranga pristatyta į DC2", -40, -42),
    ("P-2026-01", "Duomenų replikacija veikia", 20, None),
    ("P-2026-01", "Perjungimo bandymas priimtas", 170, None),
    ("P-2026-02", "Pataisos įdiegtos RAC A", 10, None),
    ("P-2026-03", "Segmentavimo projektas patvirtintas", 90, None),
    ("P-2025-07", "Klasteris atnaujintas", -65, -62),
]
# project, name, responsible, start, end, progress, status, milestone
TASKS = [
    ("P-2026-01", "Tarnybinių stočių montavimas DC2", "a.projektaite", -100, -45, 100, "done",
     "Įranga pristatyta į DC2"),
    ("P-2026-01", "SAN replikacijos konfigūravimas", "a.projektaite", -40, -5, 70, "in_progress",
     "Duomenų replikacija veikia"),
    ("P-2026-01", "Atsarginių kopijų politikos DC2", "v.vadovas", -10, 25, 20, "in_progress",
     "Duomenų replikacija veikia"),
    ("P-2026-01", "Perjungimo bandymo planas", "a.projektaite", 60, 160, 0, "planned", "Perjungimo bandymas priimtas"),
    ("P-2026-02", "RU pataisų bandymas testinėje aplinkoje", "a.projektaite", -30, -10, 100, "done",
     "Pataisos įdiegtos RAC A"),
    ("P-2026-02", "Pataisų diegimas RAC A mazgams", "a.projektaite", -5, 2, 40, "in_progress",
     "Pataisos įdiegtos RAC A"),
    ("P-2026-03", "Srautų matricos peržiūra", "v.vadovas", 30, 80, 0, "planned", "Segmentavimo projektas patvirtintas"),
    ("P-2025-07", "Mazgų atnaujinimas per vLCM", "a.projektaite", -90, -62, 100, "done", "Klasteris atnaujintas"),
]
# project, days from today, health, progress, summary, next steps, issues
REPORTS = [
    ("P-2026-01", -35, Health.GREEN, 35, "Įranga sumontuota ir priimta.", "SAN replikacija.", ""),
    ("P-2026-01", -4, Health.AMBER, 45, "Replikacija vėluoja: tiekėjas dar nepateikė licencijos raktų.",
     "Gauti raktus, baigti replikaciją.", "Reikia vadovo sprendimo dėl termino pratęsimo 2 savaitėms."),
    ("P-2026-02", -2, Health.RED, 60, "Viršytas biudžetas: papildomos palaikymo valandos.",
     "Diegti RAC A mazgams priežiūros lange.", "Reikia papildomo finansavimo 6 000 EUR."),
    ("P-2025-07", -60, Health.GREEN, 100, "Projektas baigtas, klasteris atnaujintas.", "", ""),
]
# project, title, likelihood, impact, mitigation, owner
RISKS = [
    ("P-2026-01", "Tiekėjas vėluoja pristatyti licencijas", 4, 4, "Sutartinės baudos, savaitinis sekimas",
     "a.projektaite"),
    ("P-2026-01", "Perjungimo bandymas sutrikdo MDAS", 2, 5, "Bandymas priežiūros lange, atkūrimo planas",
     "v.vadovas"),
    ("P-2026-02", "Pataisa sugadina taikomąją programą", 2, 4, "Bandymas testinėje aplinkoje", "a.projektaite"),
]


def _people() -> dict[str, Any]:
    model = get_user_model()
    people = {}
    for username, first, last, role in PEOPLE:
        person = ensure(model, "username", {
            "username": username, "first_name": first, "last_name": last, "email": f"{username}@muitine.lt",
            "password": "!demo",  # unusable: demo people do not sign in
        })
        person.groups.add(Group.objects.get(name=role))
        people[username] = person
    return people


def load() -> None:
    people = _people()
    today = timezone.localdate()

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    projects = {}
    for (code, name, goal, manager, status, start, end, budget, spent, systems, contracts, procurements,
         changes) in PROJECTS:
        project = ensure(Project, "code", {
            "code": code, "name": name, "goal": goal, "manager": people[manager], "sponsor": people["v.vadovas"],
            "status": status, "start": day(start), "end": day(end), "budget": Decimal(budget),
            "spent": Decimal(spent) if spent else None})
        project.systems.add(*[InformationSystem.objects.get(code=c) for c in systems])
        project.contracts.add(*[Contract.objects.get(number=n) for n in contracts])
        project.procurements.add(*[Procurement.objects.get(name=n) for n in procurements])
        project.changes.add(*[ChangeRequest.objects.get(title=t) for t in changes])
        projects[code] = project
    milestones = {}
    for code, name, due, reached in MILESTONES:
        milestones[name] = ensure(Milestone, {"project": projects[code], "name": name}, {
            "due": day(due), "done_on": day(reached) if reached is not None else None})
    for code, name, person, start, end, progress, state, milestone in TASKS:
        ensure(ProjectTask, {"project": projects[code], "name": name}, {
            "responsible": people[person], "start": day(start), "end": day(end), "progress": progress,
            "status": state, "milestone": milestones[milestone]})
    for code, offset, health, progress, summary, next_steps, issues in REPORTS:
        ensure(StatusReport, {"project": projects[code], "summary": summary}, {
            "reported_on": day(offset), "health": health, "progress": progress, "next_steps": next_steps,
            "issues": issues})
    for code, title, likelihood, impact, mitigation, owner in RISKS:
        ensure(ProjectRisk, {"project": projects[code], "title": title}, {
            "likelihood": likelihood, "impact": impact, "mitigation": mitigation, "owner": people[owner]})
