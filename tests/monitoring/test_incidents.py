"""System states through the dependency graph and incidents, one per cause, with checks run
against loopback ports."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from irtis.monitoring import runner, state
from irtis.monitoring.models import Check, Incident, SystemChange
from irtis.notifications.models import Notification
from tests.systems.factories import component, depends, estate, system
from tests.virtualization.factories import cluster, server, vm

from .factories import tcp_check
from .servers import closed_port, servers

pytestmark = pytest.mark.django_db


def again(minutes: int) -> None:
    runner.run_zone("default", now=timezone.now() + timedelta(minutes=minutes))


def point(check: Check, port: int) -> None:
    check.port = port
    check.full_clean()
    check.save()


def test_one_machine_of_two_down_degrades_the_system_both_stop_it(tmp_path: Path) -> None:
    e = estate()
    with servers(tmp_path) as s:
        web1, web2 = tcp_check(e["web1"], s["tcp"]), tcp_check(e["web2"], s["tcp"])
        runner.run_zone("default")
        assert state.system_states(state.node_states())[e["system"].pk][0] == "up"
        point(web1, closed_port())
        again(1)
        assert state.system_states(state.node_states())[e["system"].pk] == ("degraded", "web-1")
        point(web2, closed_port())
        again(2)
    found = state.system_states(state.node_states())[e["system"].pk]
    assert found[0] == "down" and set(found[1].split(", ")) == {"web-1", "web-2"}
    assert list(SystemChange.objects.filter(system=e["system"]).values_list("state", flat=True)) == [
        "up", "degraded", "down"]


def array_estate() -> dict:
    """A disk array and eleven systems, each on its own machine stored on the array."""
    array = server("masyvas-1")
    cl = cluster("CL-A")
    systems, machines = [], []
    for n in range(11):
        machine = vm(f"vm-{n}", cl)
        depends(machine, array, kind="stores_data_in")
        made = system(f"S{n}", cat="I" if n == 0 else "II")
        component(made, f"S{n} app", [machine])
        systems.append(made)
        machines.append(machine)
    return {"array": array, "systems": systems, "machines": machines}


def test_a_failed_disk_array_is_one_incident_listing_eleven_systems(tmp_path: Path, admin_user) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    admin_user.groups.add(Group.objects.get_or_create(name="infra_admin")[0])
    e = array_estate()
    dead = closed_port()
    tcp_check(e["array"], dead, name="array")
    for machine in e["machines"]:
        tcp_check(machine, dead, name=f"vm {machine}")
    runner.run_zone("default")
    incident = Incident.objects.get()
    assert incident.source == "check" and incident.severity == "critical"
    assert incident.cause == "masyvas-1"
    assert set(incident.systems.values_list("code", flat=True)) == {f"S{n}" for n in range(11)}
    assert incident.linked.count() == 12 and incident.linked.filter(is_cause=True).count() == 1
    assert Notification.objects.filter(kind="monitoring.incident_opened").count() == 1


def test_a_cause_found_after_its_consequences_merges_their_incidents(tmp_path: Path) -> None:
    e = array_estate()
    dead = closed_port()
    with servers(tmp_path) as s:
        array = tcp_check(e["array"], s["tcp"], name="array")
        for machine in e["machines"][:3]:
            tcp_check(machine, dead, name=f"vm {machine}")
        runner.run_zone("default")
        assert Incident.objects.filter(status="open").count() == 3  # each machine looks like a cause
        point(array, dead)
        again(1)
    kept = Incident.objects.get(status="open")
    assert kept.cause == "masyvas-1"
    assert set(kept.systems.values_list("code", flat=True)) == {f"S{n}" for n in range(11)}
    merged = Incident.objects.filter(status="resolved")
    assert merged.count() == 2 and all(kept.number in i.root_cause for i in merged)


def test_an_incident_is_resolved_when_its_objects_are_up_again(tmp_path: Path) -> None:
    e = array_estate()
    with servers(tmp_path) as s:
        array = tcp_check(e["array"], closed_port(), name="array")
        runner.run_zone("default")
        incident = Incident.objects.get()
        assert incident.status == "open"
        point(array, s["tcp"])
        again(1)
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.resolved_by is None
    assert incident.time_to_resolve is not None and incident.time_to_resolve >= timedelta(0)
    assert set(SystemChange.objects.values_list("state", flat=True)) == {"down", "up"}
