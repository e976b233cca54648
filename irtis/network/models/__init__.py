"""Data and voice networks (statute 2.2, 2.3): zones, VRFs, VLANs, IP space, circuits, voice."""

from .circuits import Circuit, Provider
from .fhrp import FHRPGroup, FHRPGroupAssignment, FHRPGroupSecret
from .ipam import DevicePrimaryAddress, IPAddress, Prefix
from .ranges import IPRange
from .routing import RouteTarget
from .vlans import VLAN, VLANAssignment, VLANGroup
from .voice import NumberRange, VoiceGateway
from .zones import VRF, SecurityZone

__all__ = [
    "VLAN",
    "VRF",
    "Circuit",
    "DevicePrimaryAddress",
    "FHRPGroup",
    "FHRPGroupAssignment",
    "FHRPGroupSecret",
    "IPAddress",
    "IPRange",
    "NumberRange",
    "Prefix",
    "Provider",
    "RouteTarget",
    "SecurityZone",
    "VLANAssignment",
    "VLANGroup",
    "VoiceGateway",
]
