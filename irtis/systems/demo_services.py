# ruff: noqa: E501  (data tables read best one row per line)
"""Demo technical services (techninės paslaugos) and disaster-recovery failover paths.

The services every system leans on run on the infrastructure machines of the virtualisation
demo, which otherwise belong to no system (their failure would affect nothing): DNS, PKI, the
directory (the AD system), MFA with ADFS, time, log collection (SIEM), MDM, remote access (VPN on
the perimeter firewalls), VoIP, backup
proxies, monitoring, privileged access, updates, file service and the CMDB. The systems depend
on them. Failover paths: NTKS moves to DC2 (the pre-production machines and the Data Guard
standby) and was drilled this year; MDAS's path was last drilled in 2024 (untested); VoIP call
control fails over automatically to its DC2 node.

Every object looked up here must exist: a missing one raises (the demo is inconsistent).
"""

import datetime
from decimal import Decimal
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.databases.models import DBMSInstance
from irtis.inventory.models import Device, Site
from irtis.virtualization.models import VirtualMachine

from .models import Component, Dependency, Deployment, FailoverPath, ImportanceCategory, InformationSystem

M = TypeVar("M", bound=models.Model)
T = InformationSystem.Kind.TECHNICAL_SERVICE
# code, name, RTO h, availability %, purpose, components: (name, kind, required, machines)
SERVICES = [
    ("DNS", "DNS ir DHCP", 1, "99.9", "Vardų sprendimas ir adresų dalijimas", [("DNS/DHCP serveriai", "other", 1, ["dns-01.prod", "dns-02.prod"])]),
    ("NTP", "Laiko tarnyba", 4, "99.5", "Tikslus laikas serveriams ir tinklo įrenginiams (chrony)", [("NTP serveriai", "other", 1, ["dns-01.prod", "dns-02.prod"])]),
    ("PKI", "Viešųjų raktų infrastruktūra", 8, "99.0", "Vidinių sertifikatų išdavimas ir atšaukimo sąrašai", [("Sertifikavimo tarnyba", "application", 1, ["pki-ca-01.prod", "pki-ca-02.prod"])]),
    ("MFA", "Kelių veiksnių tapatumo nustatymas", 2, "99.5", "Darbuotojų ir administratorių antrasis veiksnys", [("MFA serveris", "application", 1, ["mfa-01.prod"]), ("AD FS federacija", "directory", 1, ["adfs-01.prod"])]),
    ("SIEM", "Žurnalinių įrašų rinkimas ir analizė", 8, "99.0", "Saugos įvykių žurnalų rinkimas (SIEM)", [("SIEM mazgai", "application", 2, ["siem-01.prod", "siem-02.prod", "siem-03.prod"])]),
    ("MDM", "Mobiliųjų įrenginių valdymas", 8, "99.0", "Tarnybinių mobiliųjų įrenginių registravimas ir politika", [("MDM šliuzas", "gateway", 1, ["mdm-01.prod"]), ("MDM serveris", "application", 1, ["mdm-02.prod"])]),
    ("VPN", "Nuotolinė prieiga (VPN)", 4, "99.5", "Pareigūnų mobiliųjų įrenginių ir nuotolinio darbo VPN", [("VPN koncentratoriai", "gateway", 1, ["device:dc1-fw-01", "device:dc1-fw-02"])]),
    ("VOIP", "IP telefonija", 2, "99.5", "Skambučių valdymas", [("Skambučių valdymas", "application", 1, ["voip-cm-01.prod"])]),
    ("BKP-PROXY", "Atsarginio kopijavimo tarpiniai serveriai", 24, "98.0", "Duomenų perdavimas į atsarginių kopijų saugyklas", [("Tarpiniai serveriai", "file_transfer", 2, ["bkp-proxy-01.prod", "bkp-proxy-02.prod", "bkp-proxy-03.prod", "bkp-proxy-04.prod"])]),
    ("MON", "Stebėsena", 8, "99.0", "Infrastruktūros ir sistemų stebėsena (Zabbix)", [("Zabbix serveriai", "application", 1, ["mon-01.prod", "mon-02.prod", "mon-03.prod"])]),
    ("PAM", "Privilegijuota prieiga", 4, "99.0", "Administratorių prieiga per PAM ir šuolinį serverį", [("PAM serveris", "application", 1, ["pam-01.prod"]), ("Šuolinis serveris", "application", 1, ["jump-01.prod"])]),
    ("WSUS", "Programinės įrangos atnaujinimai", 72, "95.0", "Windows atnaujinimų platinimas", [("WSUS serveriai", "application", 1, ["wsus-01.prod", "wsus-02.prod"])]),
    ("FILE", "Failų tarnyba", 24, "99.0", "Padalinių failų bendrinimas", [("Failų serveriai", "file_transfer", 1, ["file-01.prod", "file-02.prod"])]),
    ("CMDB", "Konfigūracijos valdymo duomenų bazė (irtis)", 24, "98.0", "IRT infrastruktūros apskaita", [("irtis", "application", 1, ["cmdb-01.prod"])]),
]
CATEGORY = {"DNS": "I", "MFA": "I", "WSUS": "III", "FILE": "III", "CMDB": "III"}  # the rest: II
# source, kind, target, effect, description
USES = [
    *((code, "depends_on", "DNS", "stops", "Vardų sprendimas") for code in (
        "MDAS", "iMDAS", "NTKS", "ICS2-NAT", "PPMKS", "IDAIS", "MLS", "GVS", "MAKIS", "LITAR", "BAP", "EMAIL-Exchange", "AD", "VOIP", "MFA")),
    ("AD", "depends_on", "NTP", "degrades", "Kerberos reikalauja suderinto laiko"),
    ("SIEM", "depends_on", "NTP", "degrades", "Įvykių laiko žymos"),
    ("MFA", "authenticates_via", "AD", "stops", "Naudotojų katalogas"),
    ("VOIP", "authenticates_via", "AD", "degrades", "Telefonų naudotojai"),
    ("PAM", "authenticates_via", "MFA", "stops", "Administratorių antrasis veiksnys"),
    ("BAP", "depends_on", "PKI", "degrades", "Vidiniai sertifikatai ir atšaukimo sąrašai"),
    ("ICS2-NAT", "depends_on", "PKI", "degrades", "Vidiniai sertifikatai"),
    ("EMAIL-Exchange", "depends_on", "MDM", "degrades", "Paštas mobiliuosiuose įrenginiuose"),
    ("MDM", "depends_on", "VPN", "degrades", "Įrenginiai pasiekia MDM ir vidaus sistemas per VPN"),
    ("VPN", "authenticates_via", "MFA", "stops", "Antrasis veiksnys jungiantis per VPN"),
    *((code, "backed_up_by", "BKP-PROXY", "degrades", "Atsarginių kopijų perdavimas") for code in ("MDAS", "iMDAS", "NTKS", "IDAIS", "BAP", "EMAIL-Exchange")),
]
# system, path's component (None: the whole system), standby components: (primary component, name, target),
# the path's standby (its index), RTO h, method, last drill (days ago), result
PATHS = [
    ("NTKS", None, [("NTKS web", "NTKS web (DC2)", "ntks-web-01.preprod"), ("NTKS app", "NTKS app (DC2)", "ntks-app-01.preprod"),
                    ("NTKS integ", "NTKS integ (DC2)", "ntks-integ-01.preprod"), ("NTKS db", "NTKS db (DC2 Data Guard)", "ORASBYA")],
     1, "4", "manual", 75, "passed", "Metinės veiklos tęstinumo pratybos: perėjimas į DC2"),
    ("MDAS", None, [("MDAS web", "MDAS web (DC2)", "mdas-web-01.preprod"), ("MDAS app", "MDAS app (DC2)", "mdas-app-01.preprod"),
                    ("MDAS integ", "MDAS integ (DC2)", "mdas-integ-01.preprod"), ("MDAS db", "MDAS db (DC2 Data Guard)", "ORASBYA")],
     1, "6", "manual", 740, "passed", "Paskutinės pratybos 2024 m.: planas pasenęs"),
    ("VOIP", "Skambučių valdymas", [("Skambučių valdymas", "Skambučių valdymas (DC2)", "voip-cm-02.prod")],
     0, "0.25", "automatic", 40, "passed", "Automatinis perjungimas į DC2 mazgą"),
]


def _one(model: type[M], **lookup: object) -> M:
    """The one object the lookup names; a missing one is an inconsistent demo."""
    found = model._default_manager.filter(**lookup).first()
    if found is None:
        raise LookupError(f"demo: no {model._meta.label} with {lookup}")
    return found


def _deploy(component: Component, target: str, description: str = "") -> Deployment:
    """Deploy on a virtual machine (a dotted name), a device ("device:name") or a DBMS instance."""
    if target.startswith("device:"):
        return ensure(Deployment, {"component": component, "device": _one(Device, name=target.removeprefix("device:"))},
                      {"description": description})
    if "." in target:
        return ensure(Deployment, {"component": component, "virtual_machine": _one(VirtualMachine, name=target)},
                      {"description": description})
    return ensure(Deployment, {"component": component, "dbms_instance": _one(DBMSInstance, name=target)},
                  {"description": description})


def _services() -> dict[str, InformationSystem]:
    categories = {code: _one(ImportanceCategory, code=code) for code in ("I", "II", "III")}
    services = {}
    for code, name, rto, availability, purpose, components in SERVICES:
        service = ensure(InformationSystem, "code", {
            "code": code, "name": name, "kind": T, "category": categories[CATEGORY.get(code, "II")], "rto_hours": Decimal(rto),
            "availability_target": Decimal(availability), "purpose": purpose, "owner_unit": "Muitinės informacinių sistemų centras",
            "processor": "Muitinės informacinių sistemų centras", "lifecycle": InformationSystem.Lifecycle.PRODUCTION,
        })
        for part, kind, required, machines in components:
            component = ensure(Component, {"system": service, "environment": "production", "name": part},
                               {"kind": kind, "required_instances": required})
            for machine in machines:
                _deploy(component, machine)
        services[code] = service
    return services


def _uses(systems: dict[str, InformationSystem]) -> None:
    for source, kind, target, effect, description in USES:
        ends = systems[source], systems[target]
        types = [ContentType.objects.get_for_model(end) for end in ends]
        ensure(Dependency, {"source_type": types[0], "source_id": ends[0].pk, "kind": kind,
                            "target_type": types[1], "target_id": ends[1].pk},
               {"effect": effect, "description": description})


def _paths(systems: dict[str, InformationSystem]) -> None:
    dc1, dc2 = _one(Site, code="DC1"), _one(Site, code="DC2")
    today = timezone.localdate()
    for code, part, standbys, chosen, rto, method, days_ago, result, description in PATHS:
        system = systems[code]
        deployments = []
        for primary_name, name, target in standbys:
            primary = _one(Component, system=system, environment="production", name=primary_name)
            standby = ensure(Component, {"system": system, "environment": "production", "name": name},
                             {"kind": primary.kind, "standby_for": primary, "description": "Rezervinė kopija DC2"})
            deployments.append(_deploy(standby, target, f"Rezervas DC2: {name}"))
        component = _one(Component, system=system, environment="production", name=part) if part else None
        path = ensure(FailoverPath, {"system": system, "component": component, "standby": deployments[chosen]}, {
            "primary_site": dc1, "standby_site": dc2, "rto_hours": Decimal(rto), "method": method,
            "last_tested": today - datetime.timedelta(days=days_ago), "test_result": result, "description": description,
        })
        path.full_clean()  # the demo's paths obey the rules the forms enforce


def _replicas(systems: dict[str, InformationSystem]) -> None:
    """The PostgreSQL streaming replica in DC1 stands by for the databases of the primary (no
    failover path: it is in the same site, and the switch is not drilled)."""
    for code in ("BAP", "PPMKS", "ICS2-NAT"):
        primary = _one(Component, system=systems[code], environment="production", name=f"{code} db")
        replica = ensure(Component, {"system": systems[code], "environment": "production", "name": f"{code} db (replika)"},
                         {"kind": "database", "standby_for": primary, "description": "PostgreSQL srautinė replika"})
        _deploy(replica, "PGPRD2")


def load(systems: dict[str, InformationSystem]) -> None:
    """Technical services, the systems' dependencies on them and the failover paths."""
    everything = {**systems, **_services()}
    _uses(everything)
    _paths(everything)
    _replicas(everything)
