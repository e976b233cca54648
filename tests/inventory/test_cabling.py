"""Cables and patch panels: the rules of a cable's ends, and traces through panels."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import override

from irtis.inventory import trace
from irtis.inventory.models import Cable, ConsolePort, ConsoleServerPort, FrontPort, Interface, RearPort
from tests.support.contract import ModelContract

from . import factories as f


def cable(a: Any, b: Any, **values: Any) -> Cable:
    obj = Cable(**{f"a_{trace.kind_of(a)}": a, f"b_{trace.kind_of(b)}": b}, **values)
    obj.full_clean()
    obj.save()
    return obj


def panel(name: str, ports: int = 4, positions: int = 1) -> list[FrontPort]:
    """A patch panel whose front ports 1…ports map to rear ports (one each, or one trunk)."""
    device = f.device(name, role=f.role("Komutacinis skydelis", "#adb5bd"),
                      hardware_model=f.hardware("Skydelis 24", u_height=1))
    fronts = []
    trunk = RearPort.objects.create(device=device, name="R1", positions=ports) if positions > 1 else None
    for n in range(1, ports + 1):
        rear = trunk or RearPort.objects.create(device=device, name=f"R{n}", type="lc")
        fronts.append(FrontPort.objects.create(device=device, name=f"F{n}", type="lc", rear_port=rear,
                                               rear_port_position=n if trunk else 1))
    return fronts


class TestCable(ModelContract):
    model = Cable
    change = {"label": "P-0042", "length": 3}

    def make(self, n: int) -> Cable:
        one, two = f.device(f"dc1-esx-{n:02d}"), f.device(f"dc1-lan-{n:02d}")
        return Cable.objects.create(a_interface=Interface.objects.create(device=one, name="eth0"),
                                    b_interface=Interface.objects.create(device=two, name="port1"), type="om4",
                                    label=f"P-{n:04d}")

    def new_values(self) -> dict:
        return {"a_interface": Interface.objects.create(device=f.device("dc1-ora-01"), name="eth0"),
                "b_front_port": panel("dc1-pp-01", ports=1)[0], "type": "cat6", "label": "P-0001",
                "length": 2, "color": "#0000ff"}


@override("en")
def test_cable_ends_are_checked(db: Any, admin_client: Any) -> None:
    server, switch = f.device("dc1-esx-01"), f.device("dc1-lan-01")
    eth0, eth1 = (Interface.objects.create(device=server, name=n) for n in ("eth0", "eth1"))
    port1 = Interface.objects.create(device=switch, name="port1")
    bond = Interface.objects.create(device=server, name="bond0", type="lag")
    first = cable(eth0, port1, label="P-0001")

    def refused(**ends: Any) -> dict:
        with pytest.raises(ValidationError) as error:
            Cable(**ends).full_clean()
        return error.value.message_dict

    assert "already connected by cable P-0001" in refused(a_interface=eth1, b_interface=eth0)["b_interface"][0]
    assert "already connected by cable P-0001" in refused(a_interface=port1, b_interface=eth1)["a_interface"][0]
    assert refused(a_interface=eth1, b_interface=eth1)["b_interface"] == ["A cable cannot join a port to itself."]
    assert refused(a_interface=bond, b_interface=eth1)["a_interface"] == [
        "A virtual or LAG interface cannot be cabled."]
    assert refused(a_interface=eth1)["b_interface"] == ["Choose exactly one port for this end."]
    console = ConsolePort.objects.create(device=server, name="con0")
    assert refused(a_interface=eth1, a_console_port=console, b_interface=port1)["a_interface"] == [
        "Choose exactly one port for this end."]
    first.full_clean()  # a cable's own ends are not "already connected"
    api = admin_client.post("/api/inventory/cables/", {"a_interface": eth0.pk, "b_interface": eth1.pk},
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and "already connected by cable P-0001" in api.json()["errors"]["a_interface"][0]
    cable(console, ConsoleServerPort.objects.create(device=switch, name="ttyS1"), type="console")


@override("en")
def test_front_port_maps_to_a_rear_port_of_its_device(db: Any) -> None:
    fronts = panel("dc1-pp-01", ports=2, positions=2)
    other = panel("dc1-pp-02", ports=1)[0]
    with pytest.raises(ValidationError, match="same device"):
        FrontPort(device=fronts[0].device, name="F9", rear_port=other.rear_port).full_clean()
    with pytest.raises(ValidationError, match="has 2 positions"):
        FrontPort(device=fronts[0].device, name="F9", rear_port=fronts[0].rear_port, rear_port_position=3).full_clean()
    with pytest.raises(ValidationError):  # position 2 is taken by F2
        FrontPort(device=fronts[0].device, name="F9", rear_port=fronts[0].rear_port, rear_port_position=2).full_clean()


def _chain(panels: int, start: int = 1) -> tuple[Interface, Interface]:
    """A server's eth0 through `panels` pairs of patch panels (12-fibre trunks between them,
    position 7) to a switch port."""
    server = Interface.objects.create(device=f.device(f"dc1-esx-{start:02d}"), name="eth0")
    switch = Interface.objects.create(device=f.device(f"dc1-lan-{start:02d}"), name="port7")
    near: Any = server
    for n in range(panels):
        here, there = panel(f"pp-{start}-{n}-a", 12, 12), panel(f"pp-{start}-{n}-b", 12, 12)
        cable(near, here[6])
        cable(here[6].rear_port, there[6].rear_port, type="om4")
        near = there[6]
    cable(near, switch)
    return server, switch


def test_trace_through_patch_panels_in_queries_per_cable(db: Any, django_assert_num_queries: Any) -> None:
    server, switch = _chain(1)
    with django_assert_num_queries(7):  # 3 cables and their far ends, the front port of the far trunk
        path = trace.trace(server)
    assert path.end == switch and len(path.hops) == 3 and not path.loop
    assert [type(h.far).__name__ for h in path.hops] == ["FrontPort", "RearPort", "Interface"]
    assert path.hops[1].far.frontports.get(rear_port_position=7) == path.hops[2].near  # position kept
    assert trace.trace(switch).end == server
    far, near = _chain(3, start=2)
    with django_assert_num_queries(7 + 2 * 5):  # each further pair of panels: 2 cables, 2 ends, 1 position
        path = trace.trace(far)
    assert path.end == near and len(path.hops) == 1 + 3 * 2


def test_a_loop_is_marked_and_ends_the_trace(db: Any) -> None:
    front = panel("dc1-pp-01", ports=2)
    cable(front[0], front[1].rear_port)  # patched back into its own panel …
    cable(front[1], front[0].rear_port)  # … twice: F1 → R2 → F2 → R1 → F1
    path = trace.trace(front[0])
    assert path.loop and len(path.hops) == 2 and not path.truncated


def test_trace_pages_and_api(admin_client: Client) -> None:
    server, _switch = _chain(1)
    assert 'id="cable-trace"' in (page := admin_client.get(server.get_absolute_url()).content.decode())
    assert page.count("dc1-lan-01") >= 1 and "pp-1-0-b" in page
    assert "dc1-lan-01" in admin_client.get(server.device.get_absolute_url()).content.decode()
    answer = admin_client.get(f"/api/inventory/interfaces/{server.pk}/trace/").json()
    assert answer["end"]["device"]["name"] == "dc1-lan-01" and len(answer["hops"]) == 3
