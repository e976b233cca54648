"""The demo estate, and the rules of circuits and number ranges."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from irtis.audit.models import AuditEntry
from irtis.inventory import demo as inventory_demo
from irtis.network import demo
from irtis.network.models import (
    VLAN,
    VRF,
    Circuit,
    IPAddress,
    NumberRange,
    Prefix,
    Provider,
    RouteTarget,
    VLANAssignment,
    VoiceGateway,
)

from .helpers import site

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_reruns_write_nothing() -> None:
    from irtis.core import demo as core_demo

    core_demo.load()
    inventory_demo.load()
    demo.load()
    assert set(VLAN.objects.values_list("vid", flat=True)) == {
        10, 20, 30, 100, 110, 120, 130, 140, 150, 160, 200, 210, 220, 300, 310, 320}
    assert VLAN.objects.get(vid=120).description.startswith("E. paslaugų portalai")
    assert Circuit.objects.filter(kind=Circuit.Kind.LTE).count() == 8
    assert all(100 <= c.bandwidth_mbps <= 1000 for c in Circuit.objects.filter(site_a__code__in=demo.POSTS))
    assert VoiceGateway.objects.filter(site__code="VNO-HQ").count() == 2 and NumberRange.objects.exists()
    assert IPAddress.objects.filter(vrf__name="CCN").count() == 2
    assert Prefix.objects.get(prefix="10.0.0.0/8").utilisation > 0
    peer_link = VLANAssignment.objects.filter(interface__device__name="dc2-lan-02", interface__name="Po1")
    assert set(peer_link.values_list("vlan__vid", flat=True)) == {10, 20, 30, 100, 110, 150, 160}
    assert VLANAssignment.objects.filter(interface__name="Po1", tagged=True).count() == 2 * 11 + 2 * 7
    mgmt = VRF.objects.get(name="MGMT")
    assert set(mgmt.import_targets.values_list("name", flat=True)) == {"65010:10", "65010:900"}
    assert list(mgmt.export_targets.values_list("name", flat=True)) == ["65010:10"]
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_circuit_rules() -> None:
    provider = Provider.objects.create(name="SVDPT")
    a = site(1)
    Circuit(cid="INT-1", provider=provider, kind=Circuit.Kind.INTERNET, bandwidth_mbps=1000, site_a=a).full_clean()
    with pytest.raises(ValidationError, match="two different sites"):
        Circuit(cid="X", provider=provider, kind=Circuit.Kind.MPLS, bandwidth_mbps=100, site_a=a, site_b=a).full_clean()
    with pytest.raises(ValidationError, match="choose site B"):
        Circuit(cid="F", provider=provider, kind=Circuit.Kind.FIBRE, bandwidth_mbps=100, site_a=a).full_clean()
    with pytest.raises(ValidationError, match="commit rate"):
        Circuit(cid="C", provider=provider, kind=Circuit.Kind.LTE, bandwidth_mbps=100, commit_rate_mbps=200,
                site_a=a).full_clean()


def test_number_ranges_are_ordered_and_do_not_overlap() -> None:
    first = NumberRange(start="+370 5266 0000", end="+37052660999")
    first.full_clean()
    first.save()
    assert first.start == "+37052660000"
    with pytest.raises(ValidationError, match="must not be lower"):
        NumberRange(start="+37052669999", end="+37052669000").full_clean()
    with pytest.raises(ValidationError, match="overlap"):
        NumberRange(start="+37052660900", end="+37052661100").full_clean()
    with pytest.raises(ValidationError, match="same form"):
        NumberRange(start="+3705266", end="+370526700").full_clean()
    NumberRange(start="+37052661000", end="+37052661099").full_clean()


@override("en")
def test_route_target_format() -> None:
    for good in ("65010:140", "10.0.0.1:140", "4200000000:1"):
        RouteTarget(name=good).full_clean()
    for bad in ("65010", "abc:1", "65010:", "10.0.0:1", "65010:1:2"):
        with pytest.raises(ValidationError) as error:
            RouteTarget(name=bad).full_clean()
        assert error.value.message_dict["name"] == ["Write the route target as ASN:number or IPv4:number."]
