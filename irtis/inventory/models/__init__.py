"""Inventory models, one module per concept (places, racks, devices, software, mobile, directory)."""

from .devices import Device, DeviceRole, HardwareModel, Interface, StorageCapacity, Team
from .directory import DirectoryDomain, DomainController, MailServer, MailSystem
from .mobile import MobileDevice
from .places import Location, Manufacturer, Site
from .racks import Rack
from .software import Installation, SoftwareProduct, SoftwareVersion

__all__ = [
    "Device", "DeviceRole", "DirectoryDomain", "DomainController", "HardwareModel", "Installation",
    "Interface", "Location", "MailServer", "MailSystem", "Manufacturer", "MobileDevice", "Rack",
    "Site", "SoftwareProduct", "SoftwareVersion", "StorageCapacity", "Team",
]
