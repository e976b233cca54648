"""Demo IP ranges, NAT of the published e-services and the gateways' VRRP groups (synthetic).

Public addresses are from the documentation network 203.0.113.0/24. Every device and interface
named here must exist in the inventory demo: a missing one raises instead of being skipped.
"""

from irtis.core.demo import ensure
from irtis.inventory.models import Device, Interface, Site

from . import fhrp_keys
from .models import VRF, FHRPGroup, FHRPGroupAssignment, IPAddress, IPRange, Prefix, SecurityZone

DOMAIN = "muitine.local"
R = IPRange.Role
# (site, VRF or None, start, end, role, description)
RANGES = [
    ("DC1", None, "10.10.100.10", "10.10.100.49", R.STATIC, "Taikomųjų programų serverių statiniai adresai"),
    ("DC1", None, "10.10.120.2", "10.10.120.9", R.RESERVED, "Rezervuota saugasienių ir balansavimo įrangai"),
    ("DC1", "MGMT", "10.250.10.100", "10.250.10.199", R.STATIC, "Tarnybinių stočių valdymo sąsajos (iLO)"),
    ("VNO-HQ", None, "10.30.200.50", "10.30.200.250", R.DHCP, "Darbuotojų kompiuterių DHCP telkinys"),
    ("VNO-HQ", None, "10.30.210.10", "10.30.210.29", R.STATIC, "IP telefonijos šliuzai ir serveriai"),
    ("VNO-HQ", None, "10.30.210.100", "10.30.210.199", R.DHCP, "IP telefonų DHCP telkinys"),
    ("MED", None, "10.101.100.100", "10.101.100.200", R.DHCP, "Medininkų PKP vietinio tinklo DHCP telkinys"),
]
# outside (public) address, DNS name, inside address, description
NAT = [
    ("203.0.113.10/24", "deklaravimas", "10.10.120.10/24", "E. deklaravimo portalas (per apkrovos balansavimą)"),
    ("203.0.113.13/24", "gvs", "10.10.120.13/24", "GVS portalas"),
]
# protocol, group number, virtual IP, authentication, description, {device: (interface, address, priority)}
GROUPS = [
    (FHRPGroup.Protocol.VRRP3, 100, "10.10.100.1/24", FHRPGroup.Authentication.NONE,
     "DC1 produkcinių programų VLAN 100 šliuzas",
     {"dc1-lan-01": ("Vlan100", "10.10.100.2/24", 110), "dc1-lan-02": ("Vlan100", "10.10.100.3/24", 100)}),
    (FHRPGroup.Protocol.VRRP3, 110, "10.10.110.1/24", FHRPGroup.Authentication.NONE,
     "DC1 duomenų bazių VLAN 110 šliuzas",
     {"dc1-lan-01": ("Vlan110", "10.10.110.2/24", 110), "dc1-lan-02": ("Vlan110", "10.10.110.3/24", 100)}),
    (FHRPGroup.Protocol.VRRP2, 120, "10.10.120.1/24", FHRPGroup.Authentication.MD5,
     "DC1 DMZ šliuzas saugasienių poroje",
     {"dc1-fw-01": ("port3", "10.10.120.2/24", 200), "dc1-fw-02": ("port3", "10.10.120.3/24", 150)}),
]


def load(vrfs: dict[str, VRF], sites: dict[str, Site]) -> None:
    for code, vrf, start, end, role, description in RANGES:
        if code in sites:
            ensure(IPRange, {"vrf": vrfs[vrf] if vrf else None, "start_address": start},
                   {"end_address": end, "role": role, "status": IPRange.Status.ACTIVE, "description": description})
    if "DC1" in sites:
        _nat(sites["DC1"])
        _groups()


def _address(address: str, **values: object) -> IPAddress:
    return ensure(IPAddress, {"vrf": None, "address": address}, {"status": IPAddress.Status.ACTIVE, **values})


def _nat(site: Site) -> None:
    ensure(Prefix, {"vrf": None, "prefix": "203.0.113.0/24"}, {
        "status": Prefix.Status.ACTIVE, "site": site, "zone": SecurityZone.objects.get(code="INTERNET"),
        "description": "Viešieji adresai (SVDPT): skelbiamos e. paslaugos"})
    for outside, name, inside, description in NAT:
        _address(outside, dns_name=f"{name}.{DOMAIN}", description=description,
                 nat_inside=IPAddress.objects.get(vrf=None, address=inside))


def _groups() -> None:
    for protocol, number, vip, auth, description, members in GROUPS:
        virtual = IPAddress.objects.get(vrf=None, address=vip)  # the VLAN's gateway (demo._ip_space)
        group = ensure(FHRPGroup, "virtual_address", {
            "virtual_address": virtual, "protocol": protocol, "group_id": number, "auth_type": auth,
            "description": description})
        if auth != FHRPGroup.Authentication.NONE and not fhrp_keys.has_key(group):
            fhrp_keys.set_key(group, f"demo-{number}")
        for device, (name, address, priority) in members.items():
            found = Device.objects.get(name=device)
            # A firewall's port exists already; a switch's VLAN interface (SVI) is made here.
            port = Interface.objects.filter(device=found, name=name).first() or ensure(
                Interface, {"device": found, "name": name},
                {"type": Interface.Type.VIRTUAL, "description": f"VLAN {number} maršrutizavimo sąsaja"})
            _address(address, interface=port, description=f"{device} {name}")
            ensure(FHRPGroupAssignment, {"group": group, "interface": port}, {"priority": priority})
