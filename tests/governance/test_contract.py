"""The platform contract for every governance model: pages, API, import/export, search, audit."""

import datetime as dt

from irtis.governance.models import Principle, Rule, RuleKind, SystemPlan, Technology
from irtis.governance.proposals_models import Proposal, ProposalComponent, ProposalFinding, ProposalInterface
from irtis.inventory.models import HardwareModel, SoftwareVersion
from irtis.network.models import SecurityZone
from tests.support.contract import ModelContract
from tests.systems.factories import system
from tests.virtualization.factories import server

from .factories import principle, version


def _zone(code: str) -> SecurityZone:
    return SecurityZone.objects.get_or_create(code=code, defaults={"name": f"Zona {code}"})[0]


def _proposal(code: str = "P-1") -> Proposal:
    return Proposal.objects.get_or_create(code=code, defaults={"name": f"Pasiūlymas {code}"})[0]


class TestTechnology(ModelContract):
    model = Technology
    change = {"rationale": "Pakeistas pagrindimas"}

    def make(self, n: int) -> Technology:
        return Technology.objects.create(name=f"Technologija {n}", area="data", status="approved")

    def new_values(self) -> dict:
        return {"name": "Nauja technologija", "area": "platform", "status": "retiring",
                "retire_by": dt.date(2027, 1, 1), "rationale": "Pasenusi"}

    def many_targets(self, field, n):  # type: ignore[no-untyped-def]
        if field.name == "software_versions":
            return [version("Produktas", f"{i}.0") for i in range(n)]
        if field.name == "hardware_models":
            first = server("srv-modelis").hardware_model
            return [first, *(HardwareModel.objects.create(name=f"Modelis {i}", manufacturer=first.manufacturer)
                             for i in range(n - 1))]
        return super().many_targets(field, n)


class TestPrinciple(ModelContract):
    model = Principle
    change = {"statement": "Naujas teiginys"}

    def make(self, n: int) -> Principle:
        return Principle.objects.create(code=f"AP-{n}", name=f"Principas {n}", statement="Teiginys")

    def new_values(self) -> dict:
        return {"code": "AP-NEW", "name": "Naujas principas", "statement": "Sistemos turi savininką."}


class TestRule(ModelContract):
    model = Rule
    change = {"description": "Paaiškinimas"}

    def make(self, n: int) -> Rule:
        return Rule.objects.create(code=f"R-{n}", principle=principle(), kind=RuleKind.OWNER_AND_BACKUP)

    def new_values(self) -> dict:
        return {"code": "R-DC", "principle": principle(), "kind": RuleKind.DATA_CENTRES, "minimum": 2}


class TestSystemPlan(ModelContract):
    model = SystemPlan
    change = {"planned_end": dt.date(2033, 1, 1)}

    def make(self, n: int) -> SystemPlan:
        return SystemPlan.objects.create(system=system(f"SP{n}"), planned_end=dt.date(2030, 1, n % 28 + 1))

    def new_values(self) -> dict:
        return {"system": system("SP-NEW"), "planned_end": dt.date(2031, 12, 31)}


class TestProposal(ModelContract):
    model = Proposal
    change = {"name": "Pervadintas pasiūlymas"}

    def make(self, n: int) -> Proposal:
        return Proposal.objects.create(code=f"P-{n}", name=f"Pasiūlymas {n}")

    def differ(self, name: str, first: Proposal, second: Proposal) -> str:  # type: ignore[override]
        """A change proposal names its system; a decided one who decided and when."""
        if name == "kind":
            second.kind, second.system = Proposal.Kind.CHANGE, system("P-SYS")
            second.save()
            return Proposal.Kind.NEW
        if name == "status":
            second.status = Proposal.Status.SUBMITTED
            second.save()
            return Proposal.Status.DRAFT
        return super().differ(name, first, second)

    def new_values(self) -> dict:
        return {"code": "P-NEW", "name": "Naujas pasiūlymas", "kind": "new", "owner_unit": "Skyrius",
                "planned_end": dt.date(2035, 1, 1)}


class TestProposalComponent(ModelContract):
    model = ProposalComponent
    change = {"vcpu": 16}

    def make(self, n: int) -> ProposalComponent:
        return ProposalComponent.objects.create(proposal=_proposal(), name=f"dalis {n}", kind="application",
                                                vcpu=2, memory_gb=4)

    def new_values(self) -> dict:
        return {"proposal": _proposal(), "name": "nauja dalis", "kind": "database", "vcpu": 4, "memory_gb": 16,
                "storage_gb": 100, "ip_addresses": 2, "zone": _zone("PROD"),
                "software_version": SoftwareVersion.objects.first() or version("DBVS", "1", "dbms")}


class TestProposalInterface(ModelContract):
    model = ProposalInterface
    change = {"ports": "8443"}

    def make(self, n: int) -> ProposalInterface:
        return ProposalInterface.objects.create(proposal=_proposal(), name=f"sąsaja {n}", source_zone=_zone("A"),
                                                destination_zone=_zone("B"), ports=str(400 + n))

    def new_values(self) -> dict:
        return {"proposal": _proposal(), "name": "nauja sąsaja", "source_zone": _zone("DMZ"),
                "destination_zone": _zone("PROD"), "protocol": "tcp", "ports": "443"}


class TestProposalFinding(ModelContract):
    model = ProposalFinding
    change = {"message": "Patikslinta"}

    def make(self, n: int) -> ProposalFinding:
        return ProposalFinding.objects.create(proposal=_proposal(), citation=f"Taisyklė {n}", message="Pastaba")

    def new_values(self) -> dict:
        return {"proposal": _proposal(), "severity": "minor", "citation": "Architekto pastaba",
                "message": "Reikia apkrovos testo."}
