"""A small demo-like estate: MDAS on a two-host cluster, with a single point of failure,
an EU interconnection, an expiring certificate and an operating system past its support."""

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from irtis.databases.models import Database, DBMSInstance
from irtis.inventory.models import Rack, SoftwareProduct, SoftwareVersion
from irtis.network.models import VLAN, Prefix, SecurityZone
from irtis.systems.models import (
    Certificate,
    Component,
    Deployment,
    EUSystem,
    ImportanceCategory,
    InformationSystem,
    Interconnection,
)
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import execute
from tests.support import debian
from tests.virtualization import factories

LETTERS = "ą č ę ė į š ų ū ž"


@pytest.fixture(scope="session", autouse=True)
def debian_packages() -> None:
    """What the documents need from Debian: Graphviz, Pango (WeasyPrint) and DejaVu fonts."""
    debian.ensure("dot", "graphviz")
    debian.ensure_packages("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core")


@pytest.fixture
def estate(db) -> SimpleNamespace:
    dc1 = factories.site("DC1")
    rack = Rack.objects.create(site=dc1, name="DC1-A01", u_height=42)
    cluster = factories.cluster("CL-PROD", site=dc1)
    hosts = [factories.host(cluster, f"esx-{n:02d}") for n in (1, 2)]
    for n, item in enumerate(hosts):
        item.device.rack, item.device.position, item.device.face = rack, 1 + 2 * n, "front"
        item.device.save()
    product = SoftwareProduct.objects.create(
        name="Windows Server", kind="os", manufacturer=hosts[0].device.hardware_model.manufacturer)
    old_os = SoftwareVersion.objects.create(product=product, number="2012 R2",
                                            support_end=datetime.date(2018, 10, 9),
                                            end_of_life=datetime.date(2023, 10, 10))
    web = [factories.vm(f"mdas-web-{n}", cluster, primary_ip=f"10.10.120.{10 + n}/24") for n in (1, 2)]
    app = factories.vm("mdas-app-1", cluster, operating_system=old_os, primary_ip="10.10.100.21/24")
    dbvm = factories.vm("mdas-db-1", cluster, primary_ip="10.10.110.31/24")
    oracle = DBMSInstance.objects.create(name="MDASPRD", engine="oracle", virtual_machine=dbvm, port=1521)
    database = Database.objects.create(instance=oracle, name="MDAS", character_set="AL32UTF8")

    dmz = SecurityZone.objects.create(code="DMZ", name="Demilitarizuota zona", trust_level=2)
    internal = SecurityZone.objects.create(code="PROD", name="Gamybinė zona", trust_level=3)
    vlan = VLAN.objects.create(vid=120, name="dmz-eservices", site=dc1, zone=dmz)
    for prefix, zone, vid, status in (("10.0.0.0/8", None, None, "container"),
                                      ("10.10.0.0/16", internal, None, "container"),
                                      ("10.10.120.0/24", dmz, vlan, "active"),
                                      ("10.10.100.0/24", internal, None, "active")):
        item = Prefix(prefix=prefix, zone=zone, vlan=vid, site=dc1, status=status)
        item.full_clean()
        item.save()

    category = ImportanceCategory.objects.create(code="I", name="Ypatingos svarbos", rank=1,
                                                 analyse_spof=True)
    mdas = InformationSystem.objects.create(
        code="MDAS", name="Muitinės deklaracijų apdorojimo sistema", category=category,
        purpose=f"Deklaracijų apdorojimas; raidės: {LETTERS}", rto_hours=Decimal("4"),
        rpo_minutes=15, availability_target=Decimal("99.900"), owner_unit="Muitinės departamentas",
    )
    web_c = Component.objects.create(system=mdas, kind="web", name="Žiniatinklis", required_instances=1)
    app_c = Component.objects.create(system=mdas, kind="application", name="Taikomoji dalis")
    db_c = Component.objects.create(system=mdas, kind="database", name="Duomenų bazė")
    for machine in web:
        Deployment.objects.create(component=web_c, virtual_machine=machine)
    Deployment.objects.create(component=app_c, virtual_machine=app)
    Deployment.objects.create(component=db_c, database=database)

    ccn = EUSystem.objects.create(code="CCN", name="CCN/CSI", area="network")
    link = Interconnection.objects.create(name="MDAS-AES", system=mdas, eu_system=ccn,
                                          protocol="ccn_csi", gateway_vm=app)
    certificate = Certificate.objects.create(
        subject="CN=mdas.lrmuitine.lt", issuer="CN=Muitinės CA", serial="01AF",
        expires=datetime.date.today() + datetime.timedelta(days=10), interconnection=link)
    return SimpleNamespace(system=mdas, app=app, web=web, database=database, oracle=oracle,
                           certificate=certificate, old_os=old_os, cluster=cluster)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def start(client: Client, fmt: str, code: str = "MDAS") -> Run:
    response = client.post(reverse("architecture:system_file", args=[code, fmt]))
    assert response.status_code == 200
    assert 'role="progressbar"' in response.content.decode()  # the started page shows the run's progress
    return response.context["run"]


def generated(client: Client, fmt: str, code: str = "MDAS") -> tuple[Run, bytes]:
    """Start a generation from the page, work it off here (the worker's part, tested with real
    workers in tests/tasks), and download the file."""
    run = start(client, fmt, code)
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.status == Status.DONE, run.error
    response = client.get(reverse("architecture:file", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="architektura-{code}-v')
    return run, b"".join(response.streaming_content)
