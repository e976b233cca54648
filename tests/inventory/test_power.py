"""Power: feeds' available power, the draw rolled up per feed and per rack, and its warnings."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import override

from irtis.inventory import power_draw
from irtis.inventory.models import Cable, PowerFeed, PowerOutlet, PowerPanel, PowerPort
from tests.support.contract import ModelContract

from . import factories as f


def saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def feed(name: str, rack: Any, **values: Any) -> PowerFeed:
    panel = PowerPanel.objects.get_or_create(name="DC1-SKYDAS-1", defaults={"site": rack.site})[0]
    return saved(PowerFeed(power_panel=panel, rack=rack, name=name, **values))


def pdu(name: str, rack: Any, inlet_from: PowerFeed, outlets: int = 4) -> list[PowerOutlet]:
    device = f.device(name, rack=rack, hardware_model=f.hardware("PDU 16A", u_height=0))
    inlet = saved(PowerPort(device=device, name="Įvadas"))
    saved(Cable(a_power_feed=inlet_from, b_power_port=inlet, type="power"))
    return [saved(PowerOutlet(device=device, name=f"L{n}", power_port=inlet)) for n in range(1, outlets + 1)]


class TestPowerFeed(ModelContract):
    model = PowerFeed
    change = {"amperage": 32}

    def make(self, n: int) -> PowerFeed:
        return feed(f"A-{n}", f.rack(n))

    def new_values(self) -> dict:
        return {"power_panel": PowerPanel.objects.create(name="DC2-SKYDAS", site=f.site("DC2")), "name": "B-1",
                "voltage": 400, "amperage": 16, "phase": "three"}


@override("en")
def test_available_power_follows_phase_and_utilisation(db: Any) -> None:
    rack = f.rack(1)
    assert feed("A", rack).available_power == 230 * 16 * 80 // 100  # 2944 W
    assert feed("B", rack, voltage=400, amperage=32, phase="three", max_utilisation=80).available_power == 17736
    with pytest.raises(ValidationError, match="power panel's site"):
        feed("C", f.rack(2, at=f.site("DC2")))


def test_draw_is_rolled_up_per_feed_and_rack(db: Any, django_assert_num_queries: Any) -> None:
    rack = f.rack(1)
    a, b = feed("A", rack), feed("B", rack, amperage=10)  # 2944 W and 1840 W
    pdu_a, pdu_b = pdu("pdu-a", rack, a), pdu("pdu-b", rack, b)
    for n in range(1, 4):  # three servers, a power supply on each PDU
        server = f.device(f"dc1-esx-{n:02d}", rack=rack, position=n * 2, face="front")
        one = saved(PowerPort(device=server, name="PSU1", maximum_draw=800, allocated_draw=500))
        two = saved(PowerPort(device=server, name="PSU2", maximum_draw=800 if n == 3 else None))
        saved(Cable(a_power_outlet=pdu_a[n], b_power_port=one, type="power"))
        saved(Cable(a_power_port=two, b_power_outlet=pdu_b[n], type="power"))
    direct = saved(PowerPort(device=f.device("dc1-lan-01", rack=rack), name="PSU1", allocated_draw=2000))
    saved(Cable(a_power_feed=saved(PowerFeed(power_panel=a.power_panel, rack=rack, name="C", status="planned")),
                b_power_port=direct, type="power"))
    with django_assert_num_queries(6):  # however many racks, feeds and ports
        row, = power_draw.rack_power([rack])
    loads = {feed.name: (load.draw, load.available) for feed, load in row.feeds}
    assert loads == {"A": (1500, 2944), "B": (800, 1840), "C": (2000, 2944)}
    assert (row.load.draw, row.load.available) == (1500 + 800 + 2000, 2944 + 1840)  # C is only planned
    assert not row.warning and row.load.percent == 90  # 4300 W of 4784 W
    saved(PowerPort(device=f.device("dc1-ora-01", rack=rack), name="PSU1", allocated_draw=3000))
    saved(Cable(a_power_outlet=pdu_b[0], b_power_port=PowerPort.objects.get(device__name="dc1-ora-01"), type="power"))
    row, = power_draw.rack_power([rack])
    assert dict(row.feeds)[b].over and dict(row.feeds)[b].draw == 3800 and row.load.over and row.warning


def test_rack_page_and_report_warn_over_capacity(admin_client: Client) -> None:
    rack = f.rack(1)
    outlets = pdu("pdu-a", rack, feed("A", rack))
    port = saved(PowerPort(device=f.device("dc1-esx-01", rack=rack), name="PSU1", allocated_draw=3500))
    saved(Cable(a_power_outlet=outlets[0], b_power_port=port, type="power"))
    f.rack(2)  # no power: not in the report
    page = admin_client.get(rack.get_absolute_url()).content.decode()
    assert 'id="power"' in page and "3500" in page and "text-bg-danger" in page
    report = admin_client.get("/inventory/reports/power/").content.decode()
    assert "DC1-A01" in report and "DC1-A02" not in report and "alert-danger" in report
