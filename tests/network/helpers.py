"""Small factories shared by the network tests."""

from typing import Any

from irtis.inventory.models import Site
from irtis.network.models import VRF, IPAddress, Prefix


def site(n: int, **values: Any) -> Site:
    return Site.objects.create(**{"code": f"S{n:03}", "name": f"Vieta Nr. {n}", "kind": Site.Kind.SEAPORT, **values})


def prefix(text: str, vrf: VRF | None = None, **values: Any) -> Prefix:
    obj = Prefix(prefix=text, vrf=vrf, **values)
    obj.full_clean()
    obj.save()
    return obj


def address(text: str, vrf: VRF | None = None, **values: Any) -> IPAddress:
    obj = IPAddress(address=text, vrf=vrf, **values)
    obj.full_clean()
    obj.save()
    return obj
