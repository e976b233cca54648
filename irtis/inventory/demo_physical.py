"""Demo physical layer: patch panels in both data centres with servers cabled through two of them
to the core switches, power panels, feeds and rack PDUs feeding three racks (DC1-A01 near its
feeds' capacity)."""

from typing import Any

from irtis.core.demo import ensure

from .models import (
    Cable,
    ConsolePort,
    ConsoleServerPort,
    Device,
    DeviceRole,
    FrontPort,
    HardwareModel,
    Interface,
    Manufacturer,
    PowerFeed,
    PowerOutlet,
    PowerPanel,
    PowerPort,
    Rack,
    RearPort,
)
from .models.cabling import kind_of

PATCH, PDU = "Komutacinis skydelis", "Maitinimo skirstytuvas (PDU)"
# server rack panel, network rack panel, servers, switch: eth0 of each server to port<n> of the switch
CHAINS = [("DC1-A01", "DC1-N01", ["dc1-esx-01", "dc1-esx-02", "dc1-esx-03"], "dc1-lan-01"),
          ("DC2-A01", "DC2-N01", ["dc2-esx-01", "dc2-esx-02", "dc2-esx-03"], "dc2-lan-01")]
# panel, location, [(feed, rack, voltage, phase)]: 16 A each
POWER = [("DC1-SKYDAS-A", "DC1-SERV-1", [("A01-A", "DC1-A01", 230, "single"), ("N01-A", "DC1-N01", 230, "single")]),
         ("DC1-SKYDAS-B", "DC1-SERV-1", [("A01-B", "DC1-A01", 230, "single"), ("N01-B", "DC1-N01", 230, "single")]),
         ("DC2-SKYDAS-A", "DC2-SALE-A", [("A01-A", "DC2-A01", 400, "three")]),
         ("DC2-SKYDAS-B", "DC2-SALE-A", [("A01-B", "DC2-A01", 400, "three")])]
CORE_SWITCHES = ["dc1-lan-01", "dc1-lan-02", "dc2-lan-01", "dc2-lan-02"]
ALLOCATED = 0.625  # of a power supply's maximum: what the servers are measured to draw


def load() -> None:
    ensure(DeviceRole, "name", {"name": PATCH, "color": "#adb5bd", "description": "Optinis komutacinis skydelis"})
    ensure(DeviceRole, "name", {"name": PDU, "color": "#ffc107", "description": "Spintos maitinimo skirstytuvas"})
    apc = ensure(Manufacturer, "name", {"name": "Schneider Electric (APC)", "website": "https://www.apc.com",
                                        "description": "Maitinimo skirstytuvai, UPS"})
    cisco = Manufacturer.objects.get(name="Cisco Systems")
    ensure(HardwareModel, "name", {"name": "Skydelis 1U 24×LC (MPO)", "manufacturer": cisco, "u_height": 1,
                                   "full_depth": False, "part_number": "PP-1U-24LC"})
    ensure(HardwareModel, "name", {"name": "AP8853", "manufacturer": apc, "u_height": 0, "full_depth": False,
                                   "part_number": "AP8853", "description": "Rack PDU 2G, 16 A, 21 lizdas"})
    for server_rack, network_rack, servers, switch in CHAINS:
        near = _panel(f"{server_rack.lower()}-pp-01", server_rack)
        far = _panel(f"{network_rack.lower()}-pp-01", network_rack)
        _cable(near[0], far[0], "om4", f"{server_rack}/{network_rack} MPO", length=25)
        for n, server in enumerate(servers, start=1):
            _cable(Interface.objects.get(device__name=server, name="eth0"), near[n], "om4", length=2)
            _cable(far[n], Interface.objects.get(device__name=switch, name=f"port{n}"), "om4", length=3)
    _consoles()
    for panel, location, feeds in POWER:
        _power(panel, location, feeds)
    for switch in CORE_SWITCHES:
        _lag(switch)


def _consoles() -> None:
    """A console server in DC1-N01; the core switches' and firewalls' consoles on its ports (the
    second firewall's not yet)."""
    ensure(DeviceRole, "name", {"name": "Konsolių serveris", "color": "#6610f2",
                                "description": "Nuoseklių konsolių (terminalų) serveris"})
    ensure(HardwareModel, "name", {"name": "Opengear CM8100-10P", "manufacturer": Manufacturer.objects.get(
        name="Cisco Systems"), "u_height": 1, "full_depth": False, "part_number": "CM8100-10P", "power_draw": 30})
    server = _device("dc1-kons-01", Rack.objects.get(name="DC1-N01"), "Konsolių serveris", "Opengear CM8100-10P", 40)
    ports = [ensure(ConsoleServerPort, {"device": server, "name": f"ttyS{n}"}, {"type": "rj-45"})
             for n in range(1, 9)]
    for n, name in enumerate(["dc1-lan-01", "dc1-lan-02", "dc1-fw-01", "dc1-fw-02"]):
        console = ensure(ConsolePort, {"device": Device.objects.get(name=name), "name": "con0"}, {"type": "rj-45"})
        if name != "dc1-fw-02":
            _cable(console, ports[n], "console", length=2)


def _lag(switch: str) -> None:
    """Po1, the peer link of the core pair: port3 and port4, 802.1Q tagged."""
    device = Device.objects.get(name=switch)
    lag = ensure(Interface, {"device": device, "name": "Po1"}, {"type": "lag", "mode": "tagged", "mtu": 9000,
                                                                 "description": "vPC peer link"})
    for name in ("port3", "port4"):
        ensure(Interface, {"device": device, "name": name}, {"lag": lag})


def _device(name: str, rack: Rack, role: str, model: str, position: int | None) -> Device:
    return ensure(Device, "name", {
        "name": name, "role": DeviceRole.objects.get(name=role), "hardware_model": HardwareModel.objects.get(
            name=model), "site": rack.site, "location": rack.location, "rack": rack, "position": position,
        "face": "front" if position else "", "status": "active"})


def _panel(name: str, rack_name: str) -> list[Any]:
    """A 12-position MPO trunk at the rear and its 12 LC front ports: [trunk, F1, … F12]."""
    device = _device(name, Rack.objects.get(name=rack_name), PATCH, "Skydelis 1U 24×LC (MPO)", 41)
    trunk = ensure(RearPort, {"device": device, "name": "R1"}, {"type": "mpo", "positions": 12})
    ensure(RearPort, {"device": device, "name": "R2"}, {"type": "mpo", "positions": 12,
                                                        "description": "Rezervinė magistralė (F13–F24 nesumontuoti)"})
    return [trunk] + [ensure(FrontPort, {"device": device, "name": f"F{n}"}, {
        "type": "lc", "rear_port": trunk, "rear_port_position": n}) for n in range(1, 13)]


def _cable(a: Any, b: Any, kind: str, label: str = "", length: int | None = None) -> None:
    ends = {f"a_{kind_of(a)}": a, f"b_{kind_of(b)}": b}
    if not Cable.objects.filter(**ends).exists():
        cable = Cable(**ends, type=kind, label=label, length=length)
        cable.full_clean()
        cable.save()


def _power(panel_name: str, location_code: str, feeds: list[tuple[str, str, int, str]]) -> None:
    rack = Rack.objects.get(name=feeds[0][1])
    panel = ensure(PowerPanel, "name", {"name": panel_name, "site": rack.site,
                                        "location": rack.site.locations.get(code=location_code)})
    side = panel_name[-1]  # A or B: each rack has a PDU on either panel
    for feed_name, rack_name, voltage, phase in feeds:
        rack = Rack.objects.get(name=rack_name)
        feed = ensure(PowerFeed, {"power_panel": panel, "name": feed_name}, {
            "rack": rack, "amperage": 16, "voltage": voltage, "phase": phase})
        pdu = _device(f"{rack_name.lower()}-pdu-{side.lower()}", rack, PDU, "AP8853", None)
        inlet = ensure(PowerPort, {"device": pdu, "name": "Įvadas"}, {"maximum_draw": 3680})
        _cable(feed, inlet, "power")
        loads = (rack.devices.exclude(role__name__in=(PATCH, PDU)).exclude(status="planned")  # not plugged in yet
                 .select_related("hardware_model").order_by("name"))
        for n, device in enumerate(loads, start=1):
            outlet = ensure(PowerOutlet, {"device": pdu, "name": f"L{n}"}, {"power_port": inlet})
            watts = device.hardware_model.power_draw
            if watts is None:
                raise ValueError(f"{device.hardware_model} has no power draw")
            psu = ensure(PowerPort, {"device": device, "name": f"PSU{1 if side == 'A' else 2}"}, {
                "maximum_draw": watts, "allocated_draw": round(watts * ALLOCATED)})
            _cable(outlet, psu, "power")
