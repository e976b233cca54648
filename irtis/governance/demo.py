"""Demo data: the technology catalogue over the demo estate's software and hardware, principles
with rules, system plans, a proposal checked against them, and the rules evaluated."""

import datetime
from typing import Any

from irtis.core.demo import ensure
from irtis.inventory.models import HardwareModel, SoftwareVersion
from irtis.network.models import Prefix, SecurityZone
from irtis.systems.models import ImportanceCategory, InformationSystem
from irtis.virtualization.models import Cluster

from . import check, rules
from .models import Principle, Rule, RuleKind, SystemPlan, Technology
from .proposals_models import Proposal, ProposalComponent, ProposalInterface

D = datetime.date
A = Technology.Area
# name, area, status, retire by, versions, hardware models, rationale
TECHNOLOGIES = [
    ("Red Hat Enterprise Linux 8–9", A.PLATFORM, "approved", None, ["Red Hat Enterprise Linux 8.10",
     "Red Hat Enterprise Linux 9.4"], [], "Standartinė Linux platforma taikomosioms dalims."),
    ("Red Hat Enterprise Linux 7", A.PLATFORM, "retiring", D(2026, 6, 30), ["Red Hat Enterprise Linux 7.9"], [],
     "Pagrindinis palaikymas baigėsi; migruoti į RHEL 9."),
    ("Windows Server 2019–2022", A.PLATFORM, "approved", None, ["Windows Server 2019", "Windows Server 2022"], [],
     "Standartinė Windows platforma."),
    ("Windows Server 2016", A.PLATFORM, "tolerated", None, ["Windows Server 2016"], [],
     "Leidžiama iki sistemų atnaujinimo."),
    ("Windows Server 2012 R2", A.PLATFORM, "forbidden", D(2024, 1, 1), ["Windows Server 2012 R2"], [],
     "Gamintojas nepalaiko; saugumo pataisų nėra."),
    ("VMware vSphere 8", A.PLATFORM, "approved", None, ["VMware ESXi 8.0 U3"], [], "Virtualizacijos platforma."),
    ("VMware vSphere 7", A.PLATFORM, "retiring", D(2027, 6, 30), ["VMware ESXi 7.0 U3"], [],
     "Atnaujinti į vSphere 8."),
    ("Oracle Database 19c", A.DATA, "approved", None, ["Oracle Database 19c"], [],
     "Standartinė DBVS kritinėms sistemoms."),
    ("Oracle Database 12c", A.DATA, "forbidden", D(2023, 1, 1), ["Oracle Database 12c R2"], [],
     "Palaikymas baigėsi 2022 m."),
    ("Microsoft SQL Server 2019", A.DATA, "tolerated", None, ["SQL Server 2019"], [],
     "Tik ne kritinėms sistemoms."),
    ("Microsoft SQL Server 2014", A.DATA, "retiring", D(2025, 12, 31), ["SQL Server 2014"], [],
     "Pasibaigęs palaikymas."),
    ("Veeam Backup & Replication 12", A.INTEGRATION, "approved", None, ["Veeam Backup & Replication 12.3"], [],
     "Atsarginio kopijavimo standartas."),
    ("HPE ProLiant Gen10–11", A.INFRASTRUCTURE, "approved", None, [],
     ["ProLiant DL380 Gen10", "ProLiant DL360 Gen10", "ProLiant DL380 Gen11"], "Standartiniai serveriai."),
    ("HPE ProLiant Gen9", A.INFRASTRUCTURE, "retiring", D(2026, 12, 31), [], ["ProLiant DL380 Gen9"],
     "Baigiasi garantinis aptarnavimas."),
    ("Fortinet FortiGate", A.INFRASTRUCTURE, "approved", None, ["FortiOS 7.4"], ["FortiGate 1800F", "FortiGate 100F"],
     "Saugasienių standartas."),
    ("FortiOS 7.2", A.INFRASTRUCTURE, "retiring", D(2026, 9, 30), ["FortiOS 7.2"], [], "Atnaujinti į 7.4."),
]
PRINCIPLES: list[tuple[str, str, str, list[tuple[str, str, str | None, int | None, bool]]]] = [
    ("AP-01", "Tik patvirtintos technologijos",
     "Sistemos kuriamos ir eksploatuojamos naudojant technologijų kataloge patvirtintas technologijas.",
     [("R-DBVS-I", RuleKind.DBMS_APPROVED, "I", None, False),
      ("R-DRAUDŽIAMA", RuleKind.NOTHING_FORBIDDEN, None, None, False)]),
    ("AP-02", "Kritinių sistemų atsparumas",
     "Kritinės (I kategorijos) sistemos veikia dviejuose duomenų centruose.",
     [("R-DC-I", RuleKind.DATA_CENTRES, "I", 2, False)]),
    ("AP-03", "Zonavimas", "Iš interneto pasiekiamos dalys yra tik demilitarizuotoje zonoje.",
     [("R-DMZ", RuleKind.INTERNET_IN_DMZ, None, None, False)]),
    ("AP-04", "Palaikoma programinė įranga",
     "Operacinės sistemos palaikomos gamintojo iki planuojamos sistemos eksploatavimo pabaigos.",
     [("R-OS-PABAIGA", RuleKind.OS_SUPPORTED, None, None, False)]),
    ("AP-05", "Atsakomybė ir atkuriamumas", "Kiekviena sistema turi savininką ir atsarginio kopijavimo politiką.",
     [("R-SAVININKAS", RuleKind.OWNER_AND_BACKUP, None, None, False)]),
]
PLANS = [("BAP", D(2032, 12, 31)), ("MLS", D(2030, 12, 31)), ("GVS", D(2029, 6, 30)), ("ANPR", D(2028, 12, 31))]


def _one(model: type, **lookup: object) -> Any:
    found = model._default_manager.filter(**lookup).first()  # type: ignore[attr-defined]
    if found is None:
        raise LookupError(f"the demo needs {model.__name__} {lookup}")
    return found


def load() -> None:
    for name, area, status, retire_by, versions, hardware, rationale in TECHNOLOGIES:
        tech = ensure(Technology, "name", {"name": name, "area": area, "status": status, "retire_by": retire_by,
                                           "rationale": rationale, "approved_on": D(2025, 1, 15)})
        wanted_versions = [_one(SoftwareVersion, name=v) for v in versions]
        wanted_models = [_one(HardwareModel, name=m) for m in hardware]
        if set(tech.software_versions.all()) != set(wanted_versions):
            tech.software_versions.set(wanted_versions)
        if set(tech.hardware_models.all()) != set(wanted_models):
            tech.hardware_models.set(wanted_models)
    for code, name, statement, its_rules in PRINCIPLES:
        principle = ensure(Principle, "code", {"code": code, "name": name, "statement": statement})
        for rule_code, kind, category, minimum, tolerated in its_rules:
            ensure(Rule, "code", {
                "code": rule_code, "principle": principle, "kind": kind, "minimum": minimum,
                "accept_tolerated": tolerated,
                "category": _one(ImportanceCategory, code=category) if category else None})
    for system, end in PLANS:
        ensure(SystemPlan, "system", {"system": _one(InformationSystem, code=system), "planned_end": end})
    _proposal()
    rules.evaluate()


def _proposal() -> None:
    proposal = ensure(Proposal, "code", {
        "code": "P-2026-01", "name": "Elektroninių siuntų rizikos vertinimo sistema (ESRV)",
        "kind": Proposal.Kind.NEW, "category": _one(ImportanceCategory, code="II"),
        "cluster": _one(Cluster, name="CL-PROD"), "prefix": _one(Prefix, prefix="10.200.0.0/22"),
        "owner_unit": "Muitinės departamento Rizikos valdymo skyrius", "backup_planned": True,
        "planned_end": D(2034, 12, 31), "data_categories": "Siuntų duomenys, asmens duomenys",
        "description": "Naujos e. prekybos siuntų rizikos vertinimo sistemos architektūros pasiūlymas."})
    dmz, prod = _one(SecurityZone, code="DMZ"), _one(SecurityZone, code="PROD")
    rhel9 = _one(SoftwareVersion, name="Red Hat Enterprise Linux 9.4")
    components = [
        ("portalas", "web", None, rhel9, dmz, True, 2, 4, 8, 50),
        ("taikomoji", "application", None, rhel9, prod, False, 2, 8, 32, 100),
        ("duomenų bazė", "database", _one(SoftwareVersion, name="SQL Server 2019"),
         _one(SoftwareVersion, name="Windows Server 2016"), prod, False, 1, 8, 64, 2000),
    ]
    for name, kind, version, os_version, zone, facing, instances, vcpu, memory, storage in components:
        ensure(ProposalComponent, {"proposal": proposal, "name": name}, {
            "kind": kind, "software_version": version, "operating_system": os_version, "zone": zone,
            "internet_facing": facing, "instances": instances, "vcpu": vcpu, "memory_gb": memory,
            "storage_gb": storage, "ip_addresses": 1})
    ensure(ProposalInterface, {"proposal": proposal, "name": "portalas → taikomoji"}, {
        "source_zone": dmz, "destination_zone": prod, "protocol": "tcp", "ports": "8443"})
    ensure(ProposalInterface, {"proposal": proposal, "name": "rizikos profiliai iš MAKIS"}, {
        "system": _one(InformationSystem, code="MAKIS"), "source_zone": prod, "destination_zone": prod,
        "protocol": "tcp", "ports": "1521"})
    if proposal.checked is None:
        check.run(proposal)
