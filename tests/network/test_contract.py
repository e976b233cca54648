"""Every network model through the platform's generic contract (pages, API, import, search, audit)."""

from typing import Any

from irtis.core.models import Tag
from irtis.network.models import (
    VLAN,
    VRF,
    Circuit,
    DevicePrimaryAddress,
    FHRPGroup,
    FHRPGroupAssignment,
    IPAddress,
    IPRange,
    NumberRange,
    Prefix,
    Provider,
    RouteTarget,
    SecurityZone,
    VLANGroup,
    VoiceGateway,
)
from tests.support.contract import ModelContract

from .helpers import site


class TestSecurityZone(ModelContract):
    model = SecurityZone
    change = {"description": "Pakeista zona", "trust_level": SecurityZone.Trust.CRITICAL}

    def make(self, n: int) -> SecurityZone:
        return SecurityZone.objects.create(code=f"Z{n}", name=f"Zona {n}")

    def new_values(self) -> dict:
        return {"code": "ŽALIA", "name": "Žalioji zona", "trust_level": SecurityZone.Trust.DMZ,
                "tags": [Tag.objects.create(name="Kritinė", slug="kritine")]}


class TestVRF(ModelContract):
    model = VRF
    change = {"description": "Atnaujinta"}

    def make(self, n: int) -> VRF:
        return VRF.objects.create(name=f"VRF-{n}", rd=f"65010:{n}")

    def new_values(self) -> dict:
        zone = SecurityZone.objects.get_or_create(code="CCN", defaults={"name": "CCN zona"})[0]  # asked once a field
        return {"name": "CCN", "rd": "10.0.0.1:140", "zone": zone}

    def many_targets(self, field: Any, n: int) -> list:
        if field.name in ("import_targets", "export_targets"):
            start = RouteTarget.objects.count()
            return [RouteTarget.objects.create(name=f"65010:{700 + start + i}") for i in range(n)]
        return super().many_targets(field, n)


class TestRouteTarget(ModelContract):
    model = RouteTarget
    change = {"description": "CCN/CSI maršrutai"}

    def make(self, n: int) -> RouteTarget:
        return RouteTarget.objects.create(name=f"65010:{n}")

    def new_values(self) -> dict:
        return {"name": "10.0.0.1:140", "description": "Bendrosios paslaugos"}


class TestVLANGroup(ModelContract):
    model = VLANGroup
    change = {"description": "Komutavimo sritis"}

    def make(self, n: int) -> VLANGroup:
        return VLANGroup.objects.create(name=f"Grupė {n}", site=site(n))

    def new_values(self) -> dict:
        return {"name": "DC1", "site": site(900)}


class TestVLAN(ModelContract):
    model = VLAN
    change = {"name": "pervadintas", "status": VLAN.Status.DEPRECATED}

    def make(self, n: int) -> VLAN:
        return VLAN.objects.create(vid=n + 1, name=f"vlan-{n}")

    def new_values(self) -> dict:
        return {"vid": 4094, "name": "post-ot", "group": VLANGroup.objects.create(name="MED"),
                "description": "Posto operacinės technologijos"}


class TestPrefix(ModelContract):
    model = Prefix
    change = {"description": "Naujas aprašymas", "status": Prefix.Status.RESERVED}

    def make(self, n: int) -> Prefix:
        return Prefix.objects.create(prefix=f"10.{n // 256}.{n % 256}.0/24")

    def new_values(self) -> dict:
        return {"prefix": "192.0.2.0/24", "status": Prefix.Status.ACTIVE, "site": site(900),
                "description": "Naujas tinklas"}

    def differ(self, name: str, first: Prefix, second: Prefix) -> str:
        if name == "parent":  # make(3) is 10.0.3.0/24, make(8) 10.0.8.0/24
            return "10.0.0.0/22"
        if name == "length":
            first.prefix = "10.0.3.0/25"
            first.save()
            return "25"
        return super().differ(name, first, second)


class TestIPAddress(ModelContract):
    model = IPAddress
    change = {"description": "Pakeistas aprašymas", "status": IPAddress.Status.RESERVED}

    def make(self, n: int) -> IPAddress:
        return IPAddress.objects.create(address=f"10.0.{n // 256}.{n % 256 + 1}/16")

    def new_values(self) -> dict:
        return {"address": "192.0.2.10/24", "dns_name": "naujas.muitine.local", "role": IPAddress.Role.VIP}

    def differ(self, name: str, first: IPAddress, second: IPAddress) -> str:
        if name == "parent":  # make(3) is 10.0.0.4/16, make(8) 10.0.0.9/16
            return "10.0.0.4/31"
        return super().differ(name, first, second)


class TestProvider(ModelContract):
    model = Provider
    change = {"contact": "Pagalba, tel. +37052000000"}

    def make(self, n: int) -> Provider:
        return Provider.objects.create(name=f"Operatorius {n}")

    def new_values(self) -> dict:
        return {"name": "SVDPT operatorius", "account": "MISC-1"}


class TestCircuit(ModelContract):
    model = Circuit
    change = {"bandwidth_mbps": 1000, "status": Circuit.Status.OFFLINE}

    def make(self, n: int) -> Circuit:
        return Circuit.objects.create(
            cid=f"SVDPT-{n:03}", provider=Provider.objects.get_or_create(name="SVDPT")[0],
            kind=Circuit.Kind.SVDPT, bandwidth_mbps=100, site_a=site(n), site_b=site(500 + n),
        )

    def new_values(self) -> dict:
        return {"cid": "LTE-MED-01", "provider": Provider.objects.create(name="Operatorius A"),
                "kind": Circuit.Kind.LTE, "bandwidth_mbps": 100, "site_a": site(900)}


class TestVoiceGateway(ModelContract):
    model = VoiceGateway
    change = {"description": "Šliuzas į viešąjį tinklą"}

    def make(self, n: int) -> VoiceGateway:
        return VoiceGateway.objects.create(name=f"VGW-{n}", site=site(n))

    def new_values(self) -> dict:
        return {"name": "VGW-HQ-1", "site": site(900)}


class TestNumberRange(ModelContract):
    model = NumberRange
    change = {"description": "Vidaus numeriai"}

    def make(self, n: int) -> NumberRange:
        return NumberRange.objects.create(start=f"+370526{n:02}000", end=f"+370526{n:02}099")

    def new_values(self) -> dict:
        return {"start": "+37046300000", "end": "+37046300199", "site": site(900)}


class TestDevicePrimaryAddress(ModelContract):
    model = DevicePrimaryAddress
    change = {"description": "Valdymo adresas"}

    @staticmethod
    def addressed(n: int) -> IPAddress:
        from irtis.inventory.models import Interface
        from tests.virtualization.factories import server

        interface = Interface.objects.create(device=server(f"srv-{n:02}"), name="eth0")
        return IPAddress.objects.create(address=f"10.0.1.{n + 1}/24", interface=interface)

    def make(self, n: int) -> DevicePrimaryAddress:
        address = self.addressed(n)
        return DevicePrimaryAddress.objects.create(device=address.interface.device, ip_address=address)

    def new_values(self) -> dict:
        address = self.addressed(99)
        return {"device": address.interface.device, "ip_address": address}


class TestIPRange(ModelContract):
    model = IPRange
    change = {"description": "DHCP telkinys", "status": IPRange.Status.RESERVED}

    def make(self, n: int) -> IPRange:
        return IPRange.objects.create(start_address=f"10.0.{n}.10", end_address=f"10.0.{n}.20")

    def new_values(self) -> dict:
        return {"start_address": "192.0.2.100", "end_address": "192.0.2.199", "role": IPRange.Role.DHCP,
                "description": "Naujas telkinys"}

    def differ(self, name: str, first: IPRange, second: IPRange) -> str:
        if name == "parent":  # make(3) is 10.0.3.10–20, make(8) 10.0.8.10–20
            return "10.0.3.0/24"
        return super().differ(name, first, second)


def _vip(n: int) -> IPAddress:
    return IPAddress.objects.get_or_create(address=f"10.9.{n}.1/24")[0]


class TestFHRPGroup(ModelContract):
    model = FHRPGroup
    change = {"description": "DMZ šliuzas", "auth_type": FHRPGroup.Authentication.MD5}

    def make(self, n: int) -> FHRPGroup:
        return FHRPGroup.objects.create(protocol=FHRPGroup.Protocol.VRRP3, group_id=n + 1, virtual_address=_vip(n))

    def new_values(self) -> dict:
        return {"protocol": FHRPGroup.Protocol.HSRP2, "group_id": 1000, "virtual_address": _vip(200),
                "name": "prod-app", "description": "HSRP šliuzas"}


class TestFHRPGroupAssignment(ModelContract):
    model = FHRPGroupAssignment
    change = {"priority": 200}

    def make(self, n: int) -> FHRPGroupAssignment:
        from irtis.inventory.models import Interface
        from tests.virtualization.factories import server

        group = FHRPGroup.objects.create(protocol=FHRPGroup.Protocol.VRRP3, group_id=n + 1, virtual_address=_vip(n))
        interface = Interface.objects.create(device=server(f"rtr-{n:02}"), name="Vlan100")
        return FHRPGroupAssignment.objects.create(group=group, interface=interface, priority=100 + n)

    def new_values(self) -> dict:
        from irtis.inventory.models import Interface
        from tests.virtualization.factories import server

        group = FHRPGroup.objects.create(protocol=FHRPGroup.Protocol.HSRP1, group_id=0, virtual_address=_vip(250))
        return {"group": group, "interface": Interface.objects.create(device=server("rtr-99"), name="Vlan10"),
                "priority": 0}
