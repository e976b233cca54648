"""The demo virtualisation estate: its shape, and a second load that writes nothing."""

from collections import Counter

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.virtualization.demo import machines
from irtis.virtualization.models import Cluster, ClusterHost, Environment, VirtualMachine

pytestmark = pytest.mark.django_db


def test_machines_follow_the_estate_split() -> None:
    rows = machines()
    assert 195 <= len(rows) <= 215
    assert len({r["name"] for r in rows}) == len(rows)
    share = {k: v / len(rows) for k, v in Counter(r["environment"] for r in rows).items()}
    assert share[Environment.PRODUCTION] == pytest.approx(0.45, abs=0.02)
    assert share[Environment.PRE_PRODUCTION] == pytest.approx(0.20, abs=0.02)
    assert share[Environment.TEST] == pytest.approx(0.25, abs=0.02)
    assert share[Environment.DEVELOPMENT] == pytest.approx(0.10, abs=0.02)
    assert "mdas-web-01.prod" in {r["name"] for r in rows}


def test_demo_loads_once_and_reruns_write_nothing() -> None:
    call_command("demo")
    assert set(Cluster.objects.values_list("name", flat=True)) == {
        "CL-PROD",
        "CL-DMZ",
        "CL-MGMT",
        "CL-DC2",
    }
    assert VirtualMachine.objects.count() == len(machines())
    hosts = Counter(ClusterHost.objects.values_list("cluster__name", flat=True))
    if hosts:  # the ESXi servers come from the inventory demo
        assert hosts == {"CL-PROD": 8, "CL-DMZ": 2, "CL-MGMT": 2, "CL-DC2": 8}
    entries = AuditEntry.objects.count()
    call_command("demo")
    assert AuditEntry.objects.count() == entries
