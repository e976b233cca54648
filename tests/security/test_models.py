"""The platform contract of the registered security models."""

import datetime

from irtis.security.models import (
    Control,
    Evidence,
    Framework,
    Kind,
    Requirement,
    RequirementMapping,
    SystemExclusion,
)
from irtis.systems.models import ImportanceCategory
from tests.support.contract import ModelContract

from . import factories


class TestFramework(ModelContract):
    model = Framework
    change = {"edition": "2024"}

    def make(self, n: int) -> Framework:
        return Framework.objects.create(code=f"FW{n}", name=f"Sistema {n}", edition="1")

    def new_values(self) -> dict:
        return {"code": "ISO27001", "name": "ISO/IEC 27001 A priedas", "edition": "2022",
                "in_force": datetime.date(2022, 10, 25), "description": "Kontrolės"}


class TestRequirement(ModelContract):
    model = Requirement
    change = {"title": "Pakeistas"}

    def make(self, n: int) -> Requirement:
        return Requirement.objects.create(framework=factories.framework(), code=f"R-{n}", title=f"Reikalavimas {n}")

    def new_values(self) -> dict:
        return {"framework": factories.framework("LT"), "code": "LT-13", "title": "Atsarginės kopijos",
                "topic": "Veiklos tęstinumas", "description": "", "withdrawn": False}


class TestRequirementMapping(ModelContract):
    model = RequirementMapping
    change = {"description": "Ta pati sritis"}

    def make(self, n: int) -> RequirementMapping:
        return RequirementMapping.objects.create(source=factories.requirement(f"A-{n}"),
                                                 target=factories.requirement(f"B-{n}"))

    def new_values(self) -> dict:
        return {"source": factories.requirement("LT-13"), "target": factories.requirement("A.8.13"),
                "description": ""}


class TestControl(ModelContract):
    model = Control
    change = {"title": "Pervadinta"}

    def make(self, n: int) -> Control:
        return Control.objects.create(code=f"K-{n}", title=f"Kontrolė {n}", kind=Kind.MANUAL)

    def new_values(self) -> dict:
        return {"code": "K-CERTS", "title": "Sertifikatai", "kind": Kind.AUTOMATIC,
                "evaluator": "certificates_valid", "period_days": 1, "essential_only": False, "description": ""}

    def differ(self, name: str, first: Control, second: Control) -> str:  # type: ignore[override]
        """Kind and evaluator go together: make the first an automatic control."""
        if name not in ("kind", "evaluator"):
            return super().differ(name, first, second)
        first.kind, first.evaluator = Kind.AUTOMATIC, "certificates_valid"
        first.full_clean()
        first.save()
        return str(getattr(first, name))

    def many_targets(self, field, n):  # type: ignore[no-untyped-def]
        if field.name == "requirements":
            return [factories.requirement(f"M-{i}") for i in range(n)]
        if field.name == "categories":
            return [ImportanceCategory.objects.create(code=f"C{i}", name=f"Kat {i}", rank=i + 1) for i in range(n)]
        return super().many_targets(field, n)


class TestSystemExclusion(ModelContract):
    model = SystemExclusion
    change = {"justification": "Sistema nebenaudoja sertifikatų"}

    def make(self, n: int) -> SystemExclusion:
        return SystemExclusion.objects.create(control=factories.control(f"K-{n}"),
                                              system=factories.system(f"S{n}"), justification="Netaikoma")

    def new_values(self) -> dict:
        return {"control": factories.control("K-NEW"), "system": factories.system("XRAY-NET"),
                "justification": "Tiekėjo valdomi sertifikatai"}


class TestEvidence(ModelContract):
    model = Evidence
    change = {"title": "Nauja ataskaita"}

    def make(self, n: int) -> Evidence:
        return Evidence.objects.create(control=factories.control(f"K-{n}"), title=f"Įrodymas {n}",
                                       expires=datetime.date(2027, 1, 1) + datetime.timedelta(days=n))

    def new_values(self) -> dict:
        return {"control": factories.control("K-RISK"), "title": "Rizikos analizė",
                "expires": datetime.date(2027, 6, 30), "description": ""}
