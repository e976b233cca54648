# ruff: noqa: E501  (data tables read best one row per line)
"""Demo information systems (shared domain facts, sections 1 and 4): the customs systems with
their importance, RTO/RPO, components deployed on the demo machines, databases and servers of
the other apps' demos, the security zones each component serves, the posts where each system is
used, the EU systems and interconnections, certificates, campaigns, and the
explicit dependencies — among them a hidden single point of failure: the production vSphere
cluster and the Oracle RAC servers all keep their disks on one array, dc1-masyvas-01 (the March
2021 outage took down MDAS, NTKS and IDAIS together).

Objects of other apps are looked up by name; a missing one is skipped. Reruns write nothing.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.core import relations
from irtis.core.demo import ensure
from irtis.databases.models import Database
from irtis.inventory.models import Device, Site
from irtis.network.models import SecurityZone
from irtis.virtualization.models import Cluster, Environment, VirtualMachine

from . import demo_services
from .models import (
    Certificate,
    Component,
    ConformanceCampaign,
    Dependency,
    Deployment,
    EUSystem,
    ImportanceCategory,
    InformationSystem,
    Interconnection,
    SystemSite,
)

E = Environment
CATEGORIES = [  # code, name, rank, analyse single points of failure, description
    ("I", "Kritinė", 1, True, "Sutrikimas stabdo muitinės veiklą (pasienio kontrolę, deklaravimą)"),
    ("II", "Svarbi", 2, False, "Sutrikimas trikdo veiklą, taikomos veiklos tęstinumo procedūros"),
    ("III", "Įprasta", 3, False, "Sutrikimas veiklos iš esmės nestabdo"),
]
OWNER = "Muitinės informacinių sistemų centras"
# code, name, category, RTO h, RPO min, availability %, VM prefix, database (name or servers), purpose
SYSTEMS = [
    ("MDAS", "Muitinės deklaracijų apdorojimo sistema", "I", 4, 15, "99.5", "mdas", "ora-a", "Deklaracijų (eksporto AES/ECS) apdorojimas"),
    ("iMDAS", "Išmanioji MDAS", "I", 4, 15, "99.5", "imdas", "ora-a", "Importo deklaracijų apdorojimas"),
    ("NTKS", "Nacionalinė tranzito kontrolės sistema", "I", 2, 5, "99.7", "ntks", "ora-a", "Nacionalinė NCTS dalis"),
    ("ICS2-NAT", "ICS2 nacionalinė dalis", "I", 4, 15, "99.5", "ics2", "ics2_nat", "Įvežimo bendrosios deklaracijos"),
    ("PPMKS", "Prekių pateikimo muitinei kontrolės sistema", "I", 4, 30, "99.5", "ppmks", "ppmks", "Prekių pateikimas muitinei"),
    ("IDAIS", "Intrastat duomenų apdorojimo sistema", "II", 24, 60, "99.0", "idais", "ora-a", "Prekybos su ES valstybėmis statistika"),
    ("MLS", "Muitinės leidimų sistema", "II", 24, 60, "99.0", "mls", "ora-b", "Leidimai, EORI paraiškos"),
    ("GVS", "Garantijų valdymo sistema", "II", 8, 30, "99.0", "gvs", "ora-b", "Garantijų valdymas"),
    ("MAKIS", "Muitinės apskaitos ir kontrolės informacinė sistema", "II", 24, 60, "99.0", "makis", "ora-b", "Mokesčių apskaita ir kontrolė"),
    ("LITAR", "Integruotas tarifas", "II", 8, 60, "99.0", "litar", "ora-b", "Integruotas muitų tarifas"),
    ("BAP", "Bendras naudotojų valdymo portalas", "I", 4, 15, "99.5", "bap", "bap", "Prekybininkų tapatybės ir prieigos valdymas"),
    ("ANPR", "Numerių atpažinimo sistema", "II", 8, 60, "99.0", "", "sql", "Valstybinių numerių ir konteinerių kodų atpažinimas"),
    ("XRAY-NET", "Rentgeno duomenų mainų tinklas", "III", 48, 240, "98.0", "", "sql", "Baltijos šalių muitinių rentgeno vaizdų mainai"),
    ("EMAIL-Exchange", "Elektroninis paštas (Exchange)", "II", 8, 60, "99.5", "", "", "Tarnybinis el. paštas"),
    ("AD", "Active Directory katalogas", "I", 2, 15, "99.9", "", "", "Darbuotojų tapatumo nustatymas ir prieiga"),
]
DB_SERVERS = {"ora-a": ["dc1-ora-01", "dc1-ora-02"], "ora-b": ["dc1-ora-03", "dc1-ora-04"],
              "sql": ["dc1-sql-01", "dc1-sql-02"]}
POSTS = ["med-srv-01", "sal-srv-01", "kyb-srv-01", "klp-srv-01", "vnoap-srv-01", "kunp-srv-01"]
EU_SYSTEMS = [  # code, name, area
    ("CCN-CSI", "CCN/CSI bendrasis ryšių tinklas", "network"), ("CCN2", "CCN2 (CCN/CSI įpėdinis)", "network"),
    ("NCTS", "Naujoji kompiuterizuota tranzito sistema (P5/P6)", "transit"),
    ("ICS2", "Importo kontrolės sistema 2", "transit"), ("AES", "Automatizuota eksporto sistema", "transit"),
    ("EOS-EORI", "EORI registracija", "traders"), ("EOS-AEO", "AEO sertifikavimas", "traders"),
    ("UUM&DS", "Vieningas naudotojų valdymas ir skaitmeniniai parašai", "identity"),
    ("TARIC", "Integruotas Bendrijos tarifas", "classification"), ("QUOTA", "Tarifinės kvotos", "classification"),
    ("EBTI", "Europos privalomoji tarifinė informacija", "classification"),
    ("SURV3", "Priežiūros sistema", "risk"), ("NCTS-GMS", "NCTS garantijų valdymas", "guarantees"),
]
# name, system, EU system, protocol, gateway device, gateway VM, queue, certificate (subject, serial, expires)
LINKS = [
    ("NTKS–NCTS", "NTKS", "NCTS", "ccn_csi", "dc1-ccn-01", "", "LT.NCTS.P5.IN", ("CN=ntks-ccn.lrmuitine.lt", "4F2A01", "2026-12-15")),
    ("MDAS–AES", "MDAS", "AES", "ccn_csi", "dc1-ccn-01", "", "LT.AES.IN", ("CN=mdas-ccn.lrmuitine.lt", "4F2A02", "2027-06-30")),
    ("ICS2-NAT–ICS2", "ICS2-NAT", "ICS2", "ccn2", "dc1-ccn-02", "", "ics2/sti/v1", ("CN=ics2-nat.lrmuitine.lt", "4F2A03", "2027-03-31")),
    ("GVS–NCTS-GMS", "GVS", "NCTS-GMS", "ccn_csi", "dc1-ccn-02", "", "LT.GMS.IN", None),
    ("MLS–EOS-EORI", "MLS", "EOS-EORI", "ccn_csi", "dc1-ccn-02", "", "LT.EOS.IN", None),
    ("LITAR–TARIC", "LITAR", "TARIC", "ccn_csi", "dc1-ccn-01", "", "LT.TARIC.DISS", None),
    ("LITAR–QUOTA", "LITAR", "QUOTA", "ccn_csi", "dc1-ccn-01", "", "LT.QUOTA.IN", None),
    ("BAP–UUM&DS", "BAP", "UUM&DS", "https", "", "bap-integ-01.prod", "https://uumds.ec.europa.eu/", ("CN=bap.lrmuitine.lt", "7C11E9", "2026-12-20")),
]
EC_CONTACT = "DG TAXUD ITSM paslaugų centras (servicedesk@itsmtaxud.europa.eu)"


# Where the customs systems are used: workstations at each open border crossing point and post
# (synthetic), and the systems with a paper fallback procedure (MDAS, NTKS: domain facts, 1).
POST_WORKSTATIONS = {"MED": 24, "SAL": 16, "KYB": 20, "KYB-RW": 8, "KLP": 30, "VNO-AP": 10, "KUN-P": 12}
USED_AT_POSTS = {  # system: site codes (None: every post)
    "MDAS": None, "iMDAS": None, "NTKS": None, "ICS2-NAT": None, "PPMKS": None,
    "ANPR": ["MED", "SAL", "KYB"], "XRAY-NET": ["MED", "SAL", "KYB", "KLP"],
}
FALLBACK = {"MDAS", "NTKS"}
PORTALS = {"BAP", "MLS", "GVS"}  # served to traders from the DMZ
EU_LINKED = {"MDAS", "NTKS", "ICS2-NAT", "GVS", "MLS", "LITAR"}  # integration over CCN/CSI or CCN2


def _get(model: type[models.Model], **lookup: object) -> models.Model | None:
    return model._default_manager.filter(**lookup).first()




def _component(system: InformationSystem, env: str, kind: str, name: str, required: int,
               targets: Sequence[models.Model | None], description: str = "") -> Component | None:
    found = [t for t in targets if t is not None]
    if not found:
        return None
    component = ensure(Component, {"system": system, "environment": env, "name": name},
                           {"kind": kind, "required_instances": min(required, len(found)), "description": description})
    for target in found:
        field = dict[type[models.Model], str](
            {VirtualMachine: "virtual_machine", Device: "device", Database: "database"}).get(type(target), "dbms_instance")
        ensure(Deployment, {"component": component, field: target}, {})
    return component


def _depends(source: models.Model | None, kind: str, target: models.Model | None, effect: str = "stops",
             description: str = "") -> None:
    if source is None or target is None:
        return
    ensure(Dependency, {
        "source_type": ContentType.objects.get_for_model(source), "source_id": source.pk, "kind": kind,
        "target_type": ContentType.objects.get_for_model(target), "target_id": target.pk,
    }, {"effect": effect, "description": description})


def _systems() -> dict[str, InformationSystem]:
    categories = {code: ensure(ImportanceCategory, "code", {
        "code": code, "name": name, "rank": rank, "analyse_spof": spof, "description": text,
    }) for code, name, rank, spof, text in CATEGORIES}
    systems = {}
    for code, name, cat, rto, rpo, avail, _prefix, _db, purpose in SYSTEMS:
        systems[code] = ensure(InformationSystem, "code", {
            "code": code, "name": name, "category": categories[cat], "rto_hours": Decimal(rto),
            "rpo_minutes": rpo, "availability_target": Decimal(avail), "purpose": purpose,
            "owner_unit": "Muitinės departamentas", "controller": "Muitinės departamentas",
            "processor": OWNER, "security_officer": "MISC saugos įgaliotinis",
            "lifecycle": InformationSystem.Lifecycle.PRODUCTION,
            "kind": InformationSystem.Kind.TECHNICAL_SERVICE if code == "AD" else InformationSystem.Kind.INFORMATION_SYSTEM,
        })
    return systems


def _vms(prefix: str, tier: str, env_suffix: str) -> list[VirtualMachine]:
    return list(VirtualMachine.objects.filter(name__regex=rf"^{prefix}-{tier}-0\d\.{env_suffix}$").order_by("name"))


def _deploy(systems: dict[str, InformationSystem]) -> None:
    suffix = {E.PRODUCTION: "prod", E.PRE_PRODUCTION: "preprod", E.TEST: "test", E.DEVELOPMENT: "dev"}
    for code, _name, _cat, _rto, _rpo, _avail, prefix, db, _purpose in SYSTEMS:
        system = systems[code]
        if prefix:
            for env, tail in suffix.items():
                for tier, kind in (("web", "web"), ("app", "application"), ("integ", "integration")):
                    _component(system, env, kind, f"{code} {tier}", 1, _vms(prefix, tier, tail))
        if db in DB_SERVERS:
            database = _get(Database, name=code.upper(), instance__environment=E.PRODUCTION)
            targets: list[models.Model | None] = [database] if database else [_get(Device, name=n) for n in DB_SERVERS[db]]
            _component(system, E.PRODUCTION, "database", f"{code} db", 1, targets, "Oracle RAC / SQL Server")
        elif db:
            _component(system, E.PRODUCTION, "database", f"{code} db", 1,
                       [_get(Database, name=db, instance__environment=E.PRODUCTION)], "PostgreSQL")
    posts = [_get(Device, name=n) for n in POSTS]
    _component(systems["ANPR"], E.PRODUCTION, "application", "ANPR kameros ir serveriai", 1, posts)
    _component(systems["XRAY-NET"], E.PRODUCTION, "file_transfer", "XRAY-NET vaizdų mainai", 1, posts[:4])
    _component(systems["EMAIL-Exchange"], E.PRODUCTION, "mail", "Exchange DAG", 2,
               list(VirtualMachine.objects.filter(name__regex=r"^exch-0\d\.prod$").order_by("name")))
    _component(systems["AD"], E.PRODUCTION, "directory", "AD domeno valdikliai", 1,
               [*VirtualMachine.objects.filter(name__regex=r"^ad-dc-0\d\.prod$").order_by("name"),
                *Device.objects.filter(name__in=["hq-dc-01", "hq-dc-02"]).order_by("name")])


def _zone_codes(component: Component) -> list[str]:
    """The security zones a component serves or sits in, by its kind and system."""
    code = component.system.code
    if component.environment != E.PRODUCTION:
        return ["TEST"]
    if code in {"ANPR", "XRAY-NET"}:
        return ["POST-OT"]
    if component.kind == "web":
        return ["DMZ", "USERS"] if code in PORTALS else ["PROD", "USERS"]
    if component.kind == "integration" and code in EU_LINKED:
        return ["PROD", "CCN", "B2G"] if code == "ICS2-NAT" else ["PROD", "CCN"]
    return ["PROD"]


def _zones_and_sites(systems: dict[str, InformationSystem]) -> None:
    zones = {z.code: z.pk for z in SecurityZone.objects.all()}
    components = list(Component.objects.select_related("system").order_by("pk"))
    wanted = [{zones[c] for c in _zone_codes(component) if c in zones} for component in components]
    relations.assign(components, Component._meta.get_field("zones"), wanted)
    sites = {s.code: s for s in Site.objects.filter(code__in=POST_WORKSTATIONS)}
    for code, posts in USED_AT_POSTS.items():
        for post in posts or POST_WORKSTATIONS:
            if post in sites:
                ensure(SystemSite, {"system": systems[code], "site": sites[post]}, {
                    "workstations": POST_WORKSTATIONS[post], "fallback_procedure": code in FALLBACK})


def _dependencies(systems: dict[str, InformationSystem]) -> None:
    array, array2 = _get(Device, name="dc1-masyvas-01"), _get(Device, name="dc1-masyvas-02")
    note = "Visi duomenų diskai viename masyve (nenustatyta rezervinė kopija DC2)"
    _depends(_get(Cluster, name="CL-PROD"), "stores_data_in", array, description=note)
    for name in ("dc1-ora-01", "dc1-ora-02", "dc1-ora-03", "dc1-ora-04"):
        _depends(_get(Device, name=name), "stores_data_in", array, description="Oracle ASM diskų grupės")
    for name in ("CL-DMZ", "CL-MGMT"):
        _depends(_get(Cluster, name=name), "stores_data_in", array2)
    _depends(_get(Cluster, name="CL-DC2"), "stores_data_in", _get(Device, name="dc2-masyvas-01"))
    backup = _get(Device, name="dc1-bkp-01")
    for code in ("MDAS", "iMDAS", "NTKS", "IDAIS", "BAP"):
        _depends(systems[code], "backed_up_by", backup, "degrades", "Kasdienės atsarginės kopijos")
    _depends(systems["EMAIL-Exchange"], "authenticates_via", systems["AD"])
    for code in ("MDAS", "iMDAS", "NTKS"):
        _depends(systems[code], "authenticates_via", systems["AD"], "degrades", "Darbuotojų prisijungimas")
    for code in ("MLS", "GVS", "ICS2-NAT"):
        _depends(systems[code], "authenticates_via", systems["BAP"], description="Prekybininkų tapatybė per BAP")


def _eu(systems: dict[str, InformationSystem]) -> None:
    eu = {code: ensure(EUSystem, "code", {"code": code, "name": name, "area": area}) for code, name, area in EU_SYSTEMS}
    links = {}
    for name, system, target, protocol, device, vm, queue, cert in LINKS:
        links[name] = ensure(Interconnection, "name", {
            "name": name, "system": systems[system], "eu_system": eu[target], "protocol": protocol,
            "gateway_device": _get(Device, name=device) if device else None,
            "gateway_vm": _get(VirtualMachine, name=vm) if vm else None, "queue": queue, "ec_contact": EC_CONTACT,
        })
        if cert:
            subject, serial, expires = cert
            issuer = "CN=CCN PKI CA, O=European Commission" if protocol != "https" else "CN=ADIC CA, O=Lietuvos muitinė"
            ensure(Certificate, {"issuer": issuer, "serial": serial}, {
                "subject": subject, "expires": datetime.date.fromisoformat(expires),
                "not_before": datetime.date.fromisoformat(expires) - datetime.timedelta(days=730),
                "interconnection": links[name],
            })
    for name, system, target, started, ended, result in (
        ("NCTS P6 atitikties testai", "NTKS", "NCTS", "2026-02-02", None, "running"),
        ("ICS2 R3 atitikties testai", "ICS2-NAT", "ICS2", "2024-10-01", "2025-06-20", "passed"),
        ("AES atitikties testai (UCC)", "MDAS", "AES", "2024-03-04", "2024-11-29", "remarks"),
    ):
        ensure(ConformanceCampaign, "name", {
            "name": name, "system": systems[system], "eu_system": eu[target], "result": result,
            "started": datetime.date.fromisoformat(started),
            "ended": datetime.date.fromisoformat(ended) if ended else None,
        })


def load() -> None:
    systems = _systems()
    _deploy(systems)
    demo_services.load(systems)  # before the zones: its components get theirs in the same pass
    _zones_and_sites(systems)
    _dependencies(systems)
    _eu(systems)
