"""Inventory models, one module per concept (places, racks, devices, cabling, power, software, mobile,
directory)."""

from .cabling import Cable, ConsolePort, ConsoleServerPort, FrontPort, RearPort
from .devices import Device, DeviceRole, HardwareModel, Interface, StorageCapacity, Team
from .directory import DirectoryDomain, DomainController, MailServer, MailSystem
from .mobile import MobileDevice
from .places import Location, Manufacturer, Site
from .power import PowerFeed, PowerOutlet, PowerPanel, PowerPort
from .racks import Rack
from .software import Installation, SoftwareProduct, SoftwareVersion

__all__ = [
    "Cable", "ConsolePort", "ConsoleServerPort", "Device", "DeviceRole", "DirectoryDomain",
    "DomainController", "FrontPort", "HardwareModel", "Installation", "Interface", "Location", "MailServer",
    "MailSystem", "Manufacturer", "MobileDevice", "PowerFeed", "PowerOutlet", "PowerPanel", "PowerPort",
    "Rack", "RearPort", "Site", "SoftwareProduct", "SoftwareVersion", "StorageCapacity", "Team",
]
