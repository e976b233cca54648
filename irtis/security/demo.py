"""Demo security data: the shipped catalogues and controls, evidence for the manual controls
(files uploaded by the security officer, signed off by the cyber-security manager; one awaiting
sign-off, one expired), an exclusion, the hourly evaluation schedule and a first evaluation."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.identity.models import User
from irtis.systems.models import InformationSystem
from irtis.tasks.models import Schedule

from . import catalogue, run
from . import evidence as evidence_files
from .models import Control, ControlResult, Evidence, SystemExclusion

OFFICER = {"username": "r.jonaitis", "first_name": "Rimantas", "last_name": "Jonaitis",
           "department": "Saugos skyrius"}
MANAGER = {"username": "a.kazlauskiene", "first_name": "Aušra", "last_name": "Kazlauskienė",
           "department": "Kibernetinio saugumo vadovas"}

# control, title, days until expiry (negative: expired), signed off
EVIDENCE = (
    ("K-SECURITY-DOCS", "MDAS saugos nuostatai ir saugos įgaliotinio paskyrimo įsakymas", 300, True),
    ("K-POLICY", "Kibernetinio saugumo politika, patvirtinta 2026-02-10", 250, True),
    ("K-RISK", "Kibernetinio saugumo rizikos analizės ataskaita 2026", 200, True),
    ("K-TRAINING", "Kibernetinės higienos mokymų ataskaita 2026", 330, True),
    ("K-BCP-TEST", "Veiklos tęstinumo plano išbandymo protokolas", 120, True),
    ("K-LOG-REVIEW", "Žurnalinių įrašų peržiūra, 2026 m. lapkritis", 20, False),
    ("K-VULN-SCAN", "Pažeidžiamumų skenavimo ataskaita, 2026 m. gegužė", -10, True),
)


def _evidence(officer: User, manager: User) -> None:
    today = timezone.localdate()
    for code, title, days, signed in EVIDENCE:
        control = Control.objects.get(code=code)
        # the expiry is set once, relative to the first load: a rerun on a later day writes nothing
        item = Evidence.objects.filter(control=control, title=title).first() or ensure(
            Evidence, {"control": control, "title": title}, {"expires": today + datetime.timedelta(days=days)})
        if not item.sha256:
            body = f"{title}\nParengė: {officer.get_full_name()}\n".encode()
            evidence_files.store(item, SimpleUploadedFile(f"{code.lower()}.txt", body), officer)
            if signed:
                item.reviewed_by, item.reviewed_at = manager, timezone.now()
                item.save()


def load() -> None:
    catalogue.load()
    officer = ensure(User, "username", OFFICER)
    manager = ensure(User, "username", MANAGER)
    _evidence(officer, manager)
    ensure(SystemExclusion, {"control": Control.objects.get(code="K-CERTIFICATES"),
                             "system": InformationSystem.objects.get(code="XRAY-NET")},
           {"justification": "Rentgeno duomenų mainų tinklas naudoja tik vidinius, prietaisų gamintojo valdomus "
                             "sertifikatus; jų galiojimą tikrina tiekėjas pagal sutartį."})
    ensure(Schedule, "name", {"name": "Saugumo kontrolių vertinimas",
                              "task": "irtis.security.jobs.evaluate_controls", "cron": "5 * * * *"})
    if not ControlResult.objects.exists():  # the first results; the schedule adds the rest
        run.evaluate()
