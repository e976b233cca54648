"""Demo findings and risks on the demo estate: a Greenbone-like scan of the MDAS, NTKS and BAP
virtual machines written through the importer (so they are linked to machines and systems),
a penetration test's finding, risk analyses and risk registers of those systems.

Every look-up of the estate must find something: a missing system or machine raises."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from irtis.core.demo import ensure
from irtis.systems.models import InformationSystem
from irtis.virtualization.models import VirtualMachine

from . import importing
from .models import Assessment, Finding, Risk, RiskAnalysis
from .scans import Report, ScanResult

SCOPE = "Produkcinės VM (Greenbone)"
WEAKNESSES = [  # NVT OID, name, port, CVSS, CVE
    ("1.3.6.1.4.1.25623.1.0.117274", "SSL/TLS: Deprecated TLSv1.0 and TLSv1.1 Protocol Detection", "443/tcp",
     "4.3", ("CVE-2011-3389",)),
    ("1.3.6.1.4.1.25623.1.0.150711", "OpenSSH < 9.8 RCE Vulnerability (regreSSHion)", "22/tcp", "8.1",
     ("CVE-2024-6387",)),
    ("1.3.6.1.4.1.25623.1.0.145817", "Apache Tomcat AJP RCE (Ghostcat)", "8009/tcp", "9.8", ("CVE-2020-1938",)),
]
# system: (title, threat, vulnerability, likelihood, impact, treatment, measures, residual)
RISKS: dict[str, list[tuple[Any, ...]]] = {
    "MDAS": [
        ("Deklaracijų duomenų nutekėjimas", "Įsilaužėlis išnaudoja taikomosios serverio pažeidžiamumą",
         "Neatnaujinta Tomcat AJP jungtis", 4, 5, "reduce", "Išjungti AJP, atnaujinti Tomcat", (2, 5)),
        ("Deklaravimo sutrikimas dėl DB gedimo", "Duomenų bazės serverio gedimas", "Vienas DB egzempliorius",
         2, 5, "reduce", "Data Guard atsarginė DB antrame duomenų centre", (1, 4)),
    ],
    "NTKS": [
        ("Tranzito sistemos nepasiekiamumas", "DDoS ataka prieš išorinę sąsają", "Nėra srauto valymo paslaugos",
         3, 4, "transfer", "Srauto valymo paslauga pagal sutartį su ryšio tiekėju", (2, 3)),
    ],
    "BAP": [
        ("Paskyrų perėmimas", "Slaptažodžių spėjimas", "Silpnos slaptažodžių taisyklės", 3, 3, "accept",
         "Priimta iki 2027 m. migracijos į UUM&DS", None),
    ],
}


def _host(vm: VirtualMachine) -> str:
    assert vm.primary_ip is not None  # _machines() picks addressed ones
    return vm.primary_ip.host


def _machines(code: str) -> list[VirtualMachine]:
    machines = list(VirtualMachine.objects.filter(deployments__component__system__code=code)
                    .filter(primary_ip__isnull=False).select_related("primary_ip").distinct().order_by("name")[:3])
    if not machines:
        raise VirtualMachine.DoesNotExist(f"demo: no addressed virtual machine of {code}")
    return machines


def _scan(today: date) -> None:
    if Assessment.objects.filter(scope=SCOPE).exists():
        return
    results = [
        ScanResult(nvt_oid=oid, title=name, host=_host(vm), port=port, cvss=Decimal(cvss),
                   description=f"{name} ({vm.name})", cve=cve)
        for code in RISKS for n, vm in enumerate(_machines(code))
        for oid, name, port, cvss, cve in WEAKNESSES[: 1 + n % len(WEAKNESSES)]
    ]
    assessment = Assessment(kind=Assessment.Kind.SCAN, scope=SCOPE, performer="Saugos operacijų centras",
                            performed_on=today - timedelta(days=45))
    importing.write(Report(results), assessment)


def load() -> None:
    today = timezone.localdate()
    systems = {code: InformationSystem.objects.get(code=code) for code in RISKS}
    _scan(today)
    pentest = ensure(Assessment, "scope", {
        "scope": "BAP išorinė sąsaja", "kind": Assessment.Kind.PENTEST, "performer": "UAB „Saugus tinklas“",
        "performed_on": today - timedelta(days=60), "description": "Įsiskverbimo testas iš interneto"})
    ensure(Finding, "title", {
        "title": "Sesijos slapukas be Secure požymio", "assessment": pentest, "scope": pentest.scope,
        "host": "bap.lrmuitine.lt", "port": "443/tcp", "cvss": Decimal("5.4"), "status": Finding.Status.IN_TREATMENT,
        "description": "Slapukas JSESSIONID perduodamas ir per HTTP."})
    ensure(RiskAnalysis, {"system": systems["MDAS"], "performed_on": today - timedelta(days=120)},
           {"description": "Metinė kibernetinio saugumo rizikos analizė (KSRA)"})
    ensure(RiskAnalysis, {"system": systems["NTKS"], "performed_on": today - timedelta(days=420)},
           {"description": "Ankstesnė rizikos analizė: reikia naujos"})
    scanned = {f.nvt_oid: f for f in Finding.objects.filter(scope=SCOPE, host__in=[
        _host(vm) for vm in _machines("MDAS")])}
    for code, rows in RISKS.items():
        for title, threat, weakness, likelihood, impact, treatment, measures, residual in rows:
            risk = ensure(Risk, {"system": systems[code], "title": title}, {
                "threat": threat, "vulnerability": weakness, "likelihood": likelihood, "impact": impact,
                "treatment": treatment, "measures": measures, "due_date": today + timedelta(days=90),
                "residual_likelihood": residual[0] if residual else None,
                "residual_impact": residual[1] if residual else None, "review_date": today + timedelta(days=180)})
            if code == "MDAS" and "Tomcat" in weakness and not risk.findings.exists():
                risk.findings.set([f for oid, f in scanned.items() if oid == WEAKNESSES[2][0]])
