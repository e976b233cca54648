"""The demo systems: loaded with the whole demo estate, reruns write nothing, and the analysis
finds the hidden single point of failure (one disk array under the production cluster and the
Oracle servers: the March 2021 outage of MDAS, NTKS and IDAIS)."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.changes.impact import affected_systems
from irtis.inventory.models import Device, Site
from irtis.systems import graph
from irtis.systems.demo import SYSTEMS
from irtis.systems.demo_services import SERVICES
from irtis.systems.models import FailoverPath, InformationSystem
from irtis.virtualization.models import VirtualMachine

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_finds_the_hidden_single_point_of_failure() -> None:
    call_command("demo")
    assert InformationSystem.objects.count() == len(SYSTEMS) + len(SERVICES)
    entries = AuditEntry.objects.count()
    call_command("demo")
    assert AuditEntry.objects.count() == entries

    array = Device.objects.filter(name="dc1-masyvas-01").first()
    if array is None:  # the inventory demo names its arrays differently: nothing to find
        pytest.skip("the inventory demo has no dc1-masyvas-01")
    report = {system.code: {n.label for n in found} for system, found in graph.spof_report().items()}
    assert {"MDAS", "NTKS", "iMDAS"} <= set(report)
    for code in ("MDAS", "iMDAS"):
        assert "dc1-masyvas-01" in report[code]
        assert "dc1-ora-01" not in report[code]  # the RAC has two nodes
    assert not report["NTKS"]  # its tested failover path to DC2 covers the first data centre
    marks = {n.label: n.state for n in graph.single_points_of_failure(InformationSystem.objects.get(code="MDAS"))}
    assert marks["dc1-masyvas-01"] == "untested_failover"  # MDAS's path was last drilled in 2024
    found = graph.impact([array])
    assert {"MDAS", "IDAIS"} <= {n.label.split()[0] for n in found.systems_stopped}
    assert {(n.label.split()[0], n.rto_hours) for n in found.systems_failover} >= {("NTKS", 4.0)}


def test_demo_technical_services_and_failover() -> None:
    call_command("demo")
    services = InformationSystem.objects.filter(kind=InformationSystem.Kind.TECHNICAL_SERVICE)
    assert {"DNS", "NTP", "PKI", "AD", "MFA", "SIEM", "MDM", "VOIP", "BKP-PROXY"} <= set(
        services.values_list("code", flat=True))
    # Every production machine now reaches an information system or a technical service.
    machines = list(VirtualMachine.objects.filter(environment="production"))
    reached = affected_systems([graph.node_of(m) for m in machines])
    assert [m.name for m in machines if not reached.get(graph.node_of(m))] == []
    assert {p.system.code: p.tested for p in FailoverPath.objects.select_related("system")} == {
        "NTKS": True, "MDAS": False, "VOIP": True}
    for path in FailoverPath.objects.all():
        path.full_clean()
    dc1 = Site.objects.get(code="DC1")
    found = graph.impact([dc1])
    assert {n.label.split()[0] for n in found.systems_failover} == {"NTKS", "VOIP"}
    assert "MDAS" in {n.label.split()[0] for n in found.systems_stopped}
