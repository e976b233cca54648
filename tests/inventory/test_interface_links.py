"""Interfaces: LAG membership, subinterfaces, and the 802.1Q mode against the VLANs assigned
(irtis.network.VLANAssignment, as VLANs are a layer above the inventory)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from irtis.inventory.models import Interface
from irtis.network.models import VLAN, VLANAssignment

from . import factories as f


def saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def refused(obj: Any) -> dict:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


@override("en")
def test_lag_and_parent_stay_on_their_device(db: Any) -> None:
    switch, other = f.device("dc1-lan-01"), f.device("dc1-lan-02")
    lag = saved(Interface(device=switch, name="Po1", type="lag"))
    saved(Interface(device=switch, name="port1", type="10gbase-x-sfpp", lag=lag))
    port2 = saved(Interface(device=switch, name="port2", type="10gbase-x-sfpp"))
    assert refused(Interface(device=other, name="port1", lag=lag))["lag"] == [
        "The LAG must be on the same device (dc1-lan-02)."]
    assert refused(Interface(device=switch, name="port3", lag=port2))["lag"] == ["port2 is not of type LAG."]
    lag.lag = lag
    assert refused(lag)["lag"] == ["An interface cannot be a member of itself."]
    lag.refresh_from_db()
    lag.type = "virtual"
    assert "must stay of type LAG" in refused(lag)["type"][0]
    port2.parent = port2
    assert refused(port2)["parent"] == ["An interface cannot be its own parent."]
    assert refused(Interface(device=other, name="port1.140", parent=port2))["parent"] == [
        "The parent interface must be on the same device (dc1-lan-02)."]
    assert list(lag.members.values_list("name", flat=True)) == ["port1"]


@override("en")
def test_vlans_follow_the_interface_mode(db: Any) -> None:
    port = saved(Interface(device=f.device("dc1-lan-01"), name="port1", type="10gbase-x-sfpp"))
    servers, dmz, ccn = (VLAN.objects.create(vid=vid, name=name) for vid, name in (
        (110, "Serveriai"), (120, "DMZ"), (140, "CCN")))
    assert refused(VLANAssignment(interface=port, vlan=servers))["interface"] == [
        "Set the interface's 802.1Q mode first."]
    port.mode = "access"
    saved(port)
    saved(VLANAssignment(interface=port, vlan=servers))
    assert refused(VLANAssignment(interface=port, vlan=dmz, tagged=True))["tagged"] == [
        "An interface in access mode carries no tagged VLANs."]
    assert "already 110 Serveriai" in refused(VLANAssignment(interface=port, vlan=dmz))["tagged"][0]
    port.mode = "tagged"
    saved(port)
    saved(VLANAssignment(interface=port, vlan=dmz, tagged=True))
    saved(VLANAssignment(interface=port, vlan=ccn, tagged=True))
    port.mode = "access"
    assert refused(port)["mode"] == ["Remove the interface's tagged VLAN assignments first."]
