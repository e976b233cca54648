"""The estate a scan is matched against: a device with an addressed interface, a VM, their systems."""

from datetime import date
from decimal import Decimal

from irtis.identity.models import User
from irtis.inventory.models import Interface
from irtis.network.models import IPAddress
from irtis.risks import importing
from irtis.risks.importing import Counts
from irtis.risks.models import Assessment
from irtis.risks.scans import Report, ScanResult
from irtis.systems.models import Component, Deployment, ImportanceCategory, InformationSystem
from tests.virtualization.factories import cluster, server, vm


def system(code: str, rank: int = 1) -> InformationSystem:
    category = ImportanceCategory.objects.get_or_create(code=f"K{rank}", defaults={"name": f"K{rank}", "rank": rank})[0]
    return InformationSystem.objects.create(code=code, name=f"{code} sistema", category=category)


def estate() -> dict:
    """MDAS on server srv-mdas (10.10.1.5), NTKS on VM ntks-app (10.10.2.7); MDAS's owner is `jonas`."""
    owner = User.objects.create_user("jonas")
    mdas, ntks = system("MDAS"), system("NTKS", rank=2)
    mdas.responsible.add(owner)
    device = server("srv-mdas")
    interface = Interface.objects.create(device=device, name="eth0")
    address = IPAddress(address="10.10.1.5/24", interface=interface)
    address.full_clean()
    address.save()
    machine = vm("ntks-app", cluster(), primary_ip="10.10.2.7")
    for target, of in ((device, mdas), (machine, ntks)):
        component = Component.objects.create(system=of, kind="application", name="app")
        field = "device" if target is device else "virtual_machine"
        Deployment.objects.create(component=component, **{field: target})
    return {"owner": owner, "mdas": mdas, "ntks": ntks, "device": device, "vm": machine, "address": address}


def result(host: str, oid: str = "1.1", port: str = "443/tcp", cvss: str = "7.5") -> ScanResult:
    return ScanResult(nvt_oid=oid, title="Silpnybė", host=host, port=port, cvss=Decimal(cvss), description="",
                      cve=("CVE-2024-1",))


def scan(results: list[ScanResult], on: date, scope: str = "DC1") -> tuple[Assessment, Counts]:
    assessment = Assessment(kind="scan", scope=scope, performer="SOC", performed_on=on)
    return assessment, importing.write(Report(results), assessment)
