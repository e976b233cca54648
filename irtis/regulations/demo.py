"""Demo regulating documents of the division: the backup procedure (approved through its route
and in force), the password policy (in review, one step approved), the incident management
procedure (returned with a reason) and the security rules of the network (a draft), each with two
versions of its text and reviewers' comments.

Every look-up must find something: a missing control, role or person raises."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.security.models import Control

from . import drafting
from .models import Comment, Decision, Document, Kind, RouteStep, Status, StepDecision, Version

AUTHOR, OWNER = "r.jonaitis", "a.kazlauskiene"  # the security demo's officer and cyber-security manager
REVIEWERS = (("s.saugaite", "security_officer"), ("v.vadovas", "manager"))  # the access and projects demos'

BACKUP_V1 = """# Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas

Šis aprašas nustato, kaip Muitinės informacinių sistemų centras daro, saugo ir tikrina informacinių sistemų \
duomenų atsargines kopijas.

Pilnos MDAS, NTKS ir MLS duomenų bazių kopijos daromos kiekvieną savaitę, prieaugio kopijos – kasdien.

Kopijos saugomos atsarginių kopijų saugykloje ir perkeliamos į rezervinį duomenų centrą (DC2).

Atkūrimo bandymas atliekamas ne rečiau kaip kartą per metus; jo rezultatai registruojami irtis.

Už aprašo vykdymą atsako Infrastruktūros skyriaus vedėjas."""

BACKUP_V2 = BACKUP_V1.replace(
    "prieaugio kopijos – kasdien.", "prieaugio kopijos – kas 4 valandas, kad būtų pasiektas sistemos nustatytas RPO."
).replace(
    "Atkūrimo bandymas atliekamas ne rečiau kaip kartą per metus",
    "Atkūrimo bandymas atliekamas ne rečiau kaip kartą per pusmetį ir ne ilgiau nei sistemos RTO",
)

PASSWORD_V1 = """# Slaptažodžių politika

Slaptažodis turi būti ne trumpesnis kaip 12 simbolių ir jame turi būti didžiųjų, mažųjų raidžių bei skaitmenų.

Administratorių paskyroms privalomas daugiaveiksnis autentiškumo patvirtinimas.

Slaptažodžiai nesaugomi atviru tekstu; naršyklėms draudžiama įsiminti slaptažodžius.

Paskyros, nenaudotos ilgiau nei 3 mėnesius, blokuojamos."""

PASSWORD_V2 = (
    PASSWORD_V1.replace("ne trumpesnis kaip 12 simbolių", "ne trumpesnis kaip 14 simbolių").replace(
        "Administratorių paskyroms privalomas", "Administratorių ir nuotolinės prieigos (VPN) paskyroms privalomas"
    )
    + """

Darbuotojui nutraukus darbo santykius, jo paskyros teisės panaikinamos tą pačią dieną."""
)

INCIDENTS_V1 = """# Incidentų valdymo tvarkos aprašas

Kibernetinis incidentas registruojamas irtis ne vėliau kaip per 1 valandą nuo jo nustatymo.

Reikšmingas incidentas Nacionaliniam kibernetinio saugumo centrui pranešamas per 24 valandas.

Incidentą tiria saugos įgaliotinis kartu su sistemos administratoriumi.

Po incidento per 10 darbo dienų parengiama ataskaita su prevencinėmis priemonėmis."""

INCIDENTS_V2 = INCIDENTS_V1.replace(
    "pranešamas per 24 valandas.",
    "pranešamas per 24 valandas (išankstinis pranešimas), išsami informacija – per 72 valandas.",
)

NETWORK_V1 = """# Tinklo saugos taisyklės

Vidiniai tinklai nuo viešųjų tinklų atskiriami saugasiene.

Saugasienių taisyklės peržiūrimos ne rečiau kaip kas 6 mėnesius.

Srautai tarp saugumo zonų leidžiami tik pagal patvirtintą srautų matricą."""

NETWORK_V2 = (
    NETWORK_V1
    + """

Interneto prieiga teikiama per Saugųjį valstybinį duomenų perdavimo tinklą (SVDPT)."""
)

# title, kind, controls, processes, texts (version 1, version 2), where it stands
DOCUMENTS: list[tuple[str, str, tuple[str, ...], str, tuple[str, str], str]] = [
    (
        "Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas",
        Kind.PROCEDURE,
        ("K-BACKUP-RPO", "K-RESTORE-DRILL"),
        "Atsarginių kopijų darymas; Duomenų atkūrimas",
        (BACKUP_V1, BACKUP_V2),
        Status.IN_FORCE,
    ),
    (
        "Slaptažodžių politika",
        Kind.RULES,
        ("K-ADMIN-MFA", "K-AD-UNUSED", "K-AD-LEAVERS"),
        "Naudotojų paskyrų valdymas",
        (PASSWORD_V1, PASSWORD_V2),
        Status.REVIEW,
    ),
    (
        "Incidentų valdymo tvarkos aprašas",
        Kind.PROCEDURE,
        (),
        "Incidentų valdymas",
        (INCIDENTS_V1, INCIDENTS_V2),
        Status.DRAFT,
    ),
    (
        "Tinklo saugos taisyklės",
        Kind.SECURITY,
        ("K-FW-REVIEWED", "K-ZONES"),
        "Saugasienių taisyklių valdymas",
        (NETWORK_V1, NETWORK_V2),
        Status.DRAFT,
    ),
]
# document, version, paragraph, reviewer, text, resolved
COMMENTS = [
    (
        "Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas",
        1,
        3,
        "s.saugaite",
        "Kasdienės prieaugio kopijos neatitinka MDAS RPO (4 val.).",
        True,
    ),
    (
        "Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas",
        1,
        4,
        "v.vadovas",
        "Nurodykite, kiek laiko kopijos saugomos DC2.",
        False,
    ),
    ("Slaptažodžių politika", 1, 4, "s.saugaite", "Papildykite nuostata apie slaptažodžių tvarkykles.", False),
    ("Slaptažodžių politika", 2, 2, "v.vadovas", "Ar 14 simbolių taikoma ir tarnybinėms paskyroms?", False),
    (
        "Incidentų valdymo tvarkos aprašas",
        1,
        3,
        "s.saugaite",
        "KSĮ reikalauja ir 72 valandų pranešimo su išsamia informacija.",
        True,
    ),
]
RETURNED = (
    "Incidentų valdymo tvarkos aprašas",
    "Trūksta galutinės ataskaitos NKSC termino (1 mėnuo) ir atsakingų asmenų kontaktų.",
)


def _people() -> dict[str, Any]:
    users = get_user_model().objects
    people = {name: users.get(username=name) for name in (AUTHOR, OWNER)}
    for name, role in REVIEWERS:
        people[name] = users.get(username=name)
        people[name].groups.add(Group.objects.get(name=role))
    return people


def _route(document: Document) -> list[RouteStep]:
    return [
        ensure(RouteStep, {"document": document, "position": n}, {"role": Group.objects.get(name=role)})
        for n, (_name, role) in enumerate(REVIEWERS, 1)
    ]


def load() -> None:
    people = _people()
    documents = {}
    for title, kind, controls, processes, texts, status in DOCUMENTS:
        document = ensure(
            Document, "title", {"title": title, "kind": kind, "owner": people[OWNER], "processes": processes}
        )
        document.controls.add(*[Control.objects.get(code=code) for code in controls])
        for number, text in enumerate(texts, 1):
            ensure(
                Version,
                {"document": document, "number": number},
                {"text": text, "paragraphs": drafting.paragraphs(text), "author": people[AUTHOR]},
            )
        steps = _route(document)
        decided = {Status.IN_FORCE.value: 2, Status.REVIEW.value: 1}.get(status, 0)
        returned = title == RETURNED[0]
        values: dict[str, Any] = {"revision": len(texts), "status": status, "round": 1 if decided or returned else 0}
        if decided == 2:
            values.update(approved_revision=len(texts), approved_at=document.approved_at or timezone.now())
        document = ensure(Document, "title", {"title": title, **values})
        for step, (name, _role) in list(zip(steps, REVIEWERS, strict=True))[:decided]:
            ensure(
                StepDecision,
                {"step": step, "round": 1},
                {"revision": len(texts), "decision": Decision.APPROVE, "user": people[name]},
            )
        if returned:
            ensure(
                StepDecision,
                {"step": steps[0], "round": 1},
                {
                    "revision": len(texts),
                    "decision": Decision.RETURN,
                    "user": people[REVIEWERS[0][0]],
                    "reason": RETURNED[1],
                },
            )
        documents[title] = document
    for title, number, paragraph, reviewer, text, resolved in COMMENTS:
        version = Version.objects.get(document=documents[title], number=number)
        ensure(
            Comment,
            {"version": version, "paragraph": paragraph, "text": text},
            {"author": people[reviewer], "resolved": resolved, "resolved_by": people[AUTHOR] if resolved else None},
        )
