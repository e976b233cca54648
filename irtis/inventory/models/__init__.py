"""Inventory models, one module per concept (places, racks, devices, cabling, power, software, mobile,
directory)."""

from .cabling import Cable, ConsolePort, ConsoleServerPort, FrontPort, RearPort
from .devices import Device, DeviceRole, HardwareModel, Interface, StorageCapacity, Team
from .hardware_templates import (
    ConsolePortTemplate,
    FrontPortTemplate,
    InterfaceTemplate,
    PowerPortTemplate,
    RearPortTemplate,
)
from .mobile import MobileDevice
from .places import Location, Manufacturer, Site
from .power import PowerFeed, PowerOutlet, PowerPanel, PowerPort
from .racks import Rack
from .reservations import RackReservation
from .software import Installation, SoftwareProduct, SoftwareVersion

__all__ = [
    "Cable",
    "ConsolePort",
    "ConsolePortTemplate",
    "ConsoleServerPort",
    "Device",
    "DeviceRole",
    "FrontPort",
    "FrontPortTemplate",
    "HardwareModel",
    "Installation",
    "Interface",
    "InterfaceTemplate",
    "Location",
    "Manufacturer",
    "MobileDevice",
    "PowerFeed",
    "PowerOutlet",
    "PowerPanel",
    "PowerPort",
    "PowerPortTemplate",
    "Rack",
    "RackReservation",
    "RearPort",
    "RearPortTemplate",
    "Site",
    "SoftwareProduct",
    "SoftwareVersion",
    "StorageCapacity",
    "Team",
]
