"""Demo hardware model templates (a Dell server, the Nexus core switch, the MPO patch panel), a
planned server and a spare switch made from them, and rack reservations (DC1-A03 kept for the next
Oracle RAC nodes, DC1-N01 and DC2-A01 for the network team)."""

import datetime

from irtis.core.demo import ensure

from .models import (
    ConsolePortTemplate,
    Device,
    DeviceRole,
    FrontPortTemplate,
    HardwareModel,
    Interface,
    InterfaceTemplate,
    PowerPortTemplate,
    Rack,
    RackReservation,
    RearPortTemplate,
    Team,
)

# hardware model: ([(interface, type)], [console port], [(power port, maximum W, allocated W)])
TEMPLATES = {
    "PowerEdge R750": (
        [("iDRAC", "mgmt"), *[(f"eth{n}", "10gbase-x-sfpp") for n in range(4)]],
        ["Serial"],
        [("PSU1", 1400, 690), ("PSU2", 1400, 690)],
    ),
    "Nexus 93180YC-FX": (
        [("mgmt0", "mgmt"), *[(f"Ethernet1/{n}", "25gbase-x-sfp28") for n in range(1, 49)],
         *[(f"Ethernet1/{n}", "100gbase-x-qsfp28") for n in range(49, 55)]],
        ["console"],
        [("PSU1", 650, 280), ("PSU2", 650, 280)],
    ),
}
PANEL = "Skydelis 1U 24×LC (MPO)"  # two 12-fibre MPO trunks at the rear; LC ports F1–F12 on the first

# (device, hardware model, role, rack, position, status, description)
FROM_TEMPLATES = [
    ("dc1-ora-05", "PowerEdge R750", "Tarnybinė stotis", "DC1-A03", 32, "planned",
     "Oracle RAC 5-asis mazgas (planuojamas, sąsajos iš įrangos modelio šablono)"),
    ("dc1-lan-03", "Nexus 93180YC-FX", "LAN komutatorius", "DC1-N01", 30, "planned",
     "Atsarginis branduolio komutatorius (sąsajos iš įrangos modelio šablono)"),
]

# (rack, first unit, last unit, team, until, description)
RESERVATIONS = [
    ("DC1-A03", 32, 35, "Duomenų bazių komanda", datetime.date(2027, 6, 30), "Oracle RAC 5-asis ir 6-asis mazgai"),
    ("DC1-N01", 34, 35, "Tinklų komanda", None, "Antroji SAN komutatorių pora"),
    ("DC2-A01", 36, 39, "Serverių ir virtualizacijos komanda", datetime.date(2027, 3, 31),
     "ESXi klasterio CL-DR plėtra"),
]


def load() -> None:
    for model_name, (interfaces, consoles, power) in TEMPLATES.items():
        model = HardwareModel.objects.get(name=model_name)
        for name, kind in interfaces:
            ensure(InterfaceTemplate, {"hardware_model": model, "name": name}, {"type": kind})
        for name in consoles:
            ensure(ConsolePortTemplate, {"hardware_model": model, "name": name}, {"type": "rj-45"})
        for name, maximum, allocated in power:
            ensure(PowerPortTemplate, {"hardware_model": model, "name": name},
                   {"maximum_draw": maximum, "allocated_draw": allocated})
    panel = HardwareModel.objects.get(name=PANEL)
    trunk = ensure(RearPortTemplate, {"hardware_model": panel, "name": "R1"}, {"type": "mpo", "positions": 12})
    ensure(RearPortTemplate, {"hardware_model": panel, "name": "R2"}, {
        "type": "mpo", "positions": 12, "description": "Rezervinė magistralė (F13–F24 nesumontuoti)"})
    for position in range(1, 13):
        ensure(FrontPortTemplate, {"hardware_model": panel, "name": f"F{position}"},
               {"type": "lc", "rear_port": trunk, "rear_port_position": position})
    # Reservations first: the planned server goes into the units kept for it.
    for rack_name, first, last, team, until, description in RESERVATIONS:
        ensure(RackReservation, {"rack": Rack.objects.get(name=rack_name), "first_unit": first},
               {"last_unit": last, "team": Team.objects.get(name=team), "until": until, "description": description})
    for name, model_name, role, rack_name, position, status, description in FROM_TEMPLATES:
        rack = Rack.objects.get(name=rack_name)
        ensure(Device, "name", {
            "name": name, "hardware_model": HardwareModel.objects.get(name=model_name),
            "role": DeviceRole.objects.get(name=role), "site": rack.site, "location": rack.location, "rack": rack,
            "position": position, "face": "front", "status": status, "description": description})
    ensure(Interface, {"device": Device.objects.get(name="dc1-lan-03"), "name": "Ethernet1/49"}, {
        "mode": "tagged", "description": "Planuojama jungtis su dc1-lan-01 (VLAN dar nepriskirti)"})
