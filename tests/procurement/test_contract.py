"""The platform contract for every registered procurement model: pages, API, files, search, audit."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

from irtis.identity.models import User
from irtis.procurement.models import (
    Contract,
    ContractAmendment,
    Criterion,
    ExternalService,
    Licence,
    Offer,
    OfferAnswer,
    Procurement,
    Requirement,
    RequirementTemplate,
    Specification,
    Supplier,
    SupplierContact,
)
from irtis.systems.models import InformationSystem
from tests.risks.factories import system
from tests.support.contract import ModelContract
from tests.virtualization.factories import server

from . import factories as f


def _systems(n: int) -> list:
    start = InformationSystem.objects.count()
    return [system(f"SIS{start + i}") for i in range(n)]


class TestSupplier(ModelContract):
    model = Supplier
    change = {"phone": "+370 5 000 0000"}

    def make(self, n: int) -> Supplier:
        return f.supplier(f"UAB Tiekėjas {n}")

    def new_values(self) -> dict:
        return {"name": "UAB „Naujas tiekėjas“", "company_code": "111111111", "email": "info@example.lt"}


class TestSupplierContact(ModelContract):
    model = SupplierContact
    change = {"position": "Paskyros vadovas"}

    def make(self, n: int) -> SupplierContact:
        return SupplierContact.objects.create(supplier=f.supplier(), name=f"Asmuo {n}")

    def new_values(self) -> dict:
        return {"supplier": f.supplier(), "name": "Jonas Jonaitis", "email": "jonas@example.lt"}


class TestContract(ModelContract):
    model = Contract
    change = {"subject": "Pakeistas dalykas"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "devices":
            return [server(f"srv-sut-{i}") for i in range(n)]
        if field.name == "software_products":
            return [f.product(f"Produktas {i}") for i in range(n)]
        if field.name == "systems":
            return _systems(n)
        return super().many_targets(field, n)

    def make(self, n: int) -> Contract:
        return f.contract(f"S-{n}")

    def new_values(self) -> dict:
        return {"number": "S-NAUJA", "supplier": f.supplier(), "subject": "WAN ryšys", "value": Decimal("1000"),
                "currency": "EUR", "start": date(2026, 1, 1), "end": date(2026, 12, 31), "notice_days": 60,
                "status": "active"}


class TestContractAmendment(ModelContract):
    model = ContractAmendment
    change = {"description": "Patikslintas aprašymas"}

    def make(self, n: int) -> ContractAmendment:
        amendment = ContractAmendment(contract=f.contract(f"S-A{n}"), number=1, signed_on=date(2026, 1, 1),
                                      new_end=date(2028, 12, 31), description="Pratęsimas")
        amendment.full_clean()
        amendment.save()
        return amendment

    def new_values(self) -> dict:
        return {"contract": f.contract("S-ANEW"), "number": 1, "signed_on": date(2026, 2, 1),
                "new_value": Decimal("15000"), "description": "Vertės didinimas"}


class TestRequirementTemplate(ModelContract):
    model = RequirementTemplate
    change = {"category": "Palaikymas"}

    def make(self, n: int) -> RequirementTemplate:
        return RequirementTemplate.objects.create(name=f"Šablonas {n}", text=f"Tekstas {n}")

    def new_values(self) -> dict:
        return {"name": "Pagalba lietuvių kalba", "kind": "mandatory", "text": "Pagalba teikiama lietuvių kalba.",
                "proof": "Tiekėjo deklaracija"}


class TestSpecification(ModelContract):
    model = Specification
    change = {"title": "Pakeistas pavadinimas"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "systems":
            return _systems(n)
        return super().many_targets(field, n)

    def make(self, n: int) -> Specification:
        return f.specification(f"TS-{n}", requirements=1)

    def new_values(self) -> dict:
        return {"code": "TS-NAUJA", "revision": 1, "title": "Tarnybinės stotys", "purpose": "Pakeisti senas"}


class TestRequirement(ModelContract):
    model = Requirement
    change = {"proof": "Sertifikatas"}

    def make(self, n: int) -> Requirement:
        spec = Specification.objects.get_or_create(code="TS-R", defaults={"title": "R"})[0]
        return Requirement.objects.create(specification=spec, number=n + 1, text=f"Reikalavimas {n}")

    def new_values(self) -> dict:
        spec = Specification.objects.get_or_create(code="TS-R", defaults={"title": "R"})[0]
        return {"specification": spec, "number": 100, "kind": "evaluated", "text": "Ne mažiau kaip 64 branduoliai"}


class TestProcurement(ModelContract):
    model = Procurement
    change = {"description": "Atviras konkursas"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name != "evaluators":
            return super().many_targets(field, n)
        start = User.objects.count()
        return [User.objects.create_user(f"vertintojas{start + i}", first_name=f"Vertintojas {i}") for i in range(n)]

    def make(self, n: int) -> Procurement:
        return f.procurement(f"Pirkimas {n}")

    def new_values(self) -> dict:
        return {"name": "Naujas pirkimas", "specification": f.approved("TS-PN"),
                "deadline": timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0, tzinfo=None),
                "max_points": 10, "disagreement_threshold": Decimal("3"), "abnormal_percent": Decimal("30")}


class TestCriterion(ModelContract):
    model = Criterion
    change = {"description": "Vertinama pagal aprašą"}

    def make(self, n: int) -> Criterion:
        return Criterion.objects.create(procurement=f.procurement(f"C{n}"), name=f"Kriterijus{n}x",
                                        weight=Decimal("40"))

    def new_values(self) -> dict:
        return {"procurement": f.procurement("CN"), "name": "Kaina", "kind": "price", "weight": Decimal("60")}


class TestOffer(ModelContract):
    model = Offer
    change = {"received_on": date(2026, 3, 1)}

    def make(self, n: int) -> Offer:
        return f.offer(f.procurement(f"O{n}"), f"UAB O{n}", "1000")

    def new_values(self) -> dict:
        return {"procurement": f.procurement("ON"), "supplier": f.supplier("UAB Naujas"), "price": Decimal("999.99")}


class TestOfferAnswer(ModelContract):
    model = OfferAnswer
    change = {"page": "17"}

    def make(self, n: int) -> OfferAnswer:
        offer = f.offer(f.procurement(f"A{n}"), f"UAB A{n}", "1000")
        requirement = offer.procurement.specification.requirements.first()
        return OfferAnswer.objects.create(offer=offer, requirement=requirement, answer="meets", page="3")

    def new_values(self) -> dict:
        offer = f.offer(f.procurement("AN"), "UAB AN", "1000")
        return {"offer": offer, "requirement": offer.procurement.specification.requirements.first(),
                "answer": "partly", "page": "12"}


class TestLicence(ModelContract):
    model = Licence
    change = {"quantity": 20}

    def make(self, n: int) -> Licence:
        return Licence.objects.create(name=f"Licencija {n}", product=f.product(), metric="core", quantity=8)

    def new_values(self) -> dict:
        return {"name": "Oracle EE procesorinės", "product": f.product(), "kind": "perpetual", "metric": "core",
                "quantity": 16, "core_factor": Decimal("0.5")}


class TestExternalService(ModelContract):
    model = ExternalService
    change = {"monthly_fee": Decimal("500")}

    def make(self, n: int) -> ExternalService:
        return ExternalService.objects.create(name=f"Paslauga {n}", kind="wan", supplier=f.supplier(),
                                              system=_systems(1)[0])

    def new_values(self) -> dict:
        return {"name": "Duomenų centro vieta", "kind": "data_centre", "supplier": f.supplier(),
                "system": _systems(1)[0], "availability_target": Decimal("99.98"), "monthly_fee": Decimal("7200"),
                "penalty_step": Decimal("0.01"), "penalty_rate": Decimal("0.5"), "penalty_cap": Decimal("20")}
