"""LLDP neighbours proposing cables, read from a real lldpd through a real snmpd (AgentX), the
two LLDP speakers joined by a veth pair across network namespaces (tests/support/lldp.py)."""

from collections.abc import Iterator

import pytest

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.discovery import plan as plans
from irtis.discovery import snmp
from irtis.inventory.models import Cable, Device, Interface
from tests.discovery.test_discovery import discoverer, v2c
from tests.inventory import factories
from tests.support import lldp

pytestmark = pytest.mark.django_db
LOCAL, NEIGHBOUR = "lldp-vietinis", "lldp-kaimynas"


@pytest.fixture(scope="module")
def link(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lldp.Link]:
    with lldp.linked(tmp_path_factory.mktemp("lldp"), LOCAL, NEIGHBOUR) as linked:
        yield linked


@pytest.fixture(scope="module")
def reading(link: lldp.Link) -> snmp.Reading:
    return snmp.read(link.agent.host, link.agent.port, v2c())


def recorded(link: lldp.Link, neighbour: bool = True) -> tuple[Interface, Interface | None]:
    with changes_by(None, Source.SYSTEM):
        local = Interface.objects.create(device=factories.device(LOCAL), name=link.local_port, type="1000base-t")
        if not neighbour:
            return local, None
        far = Interface.objects.create(device=factories.device(NEIGHBOUR.upper()), name=link.neighbour_port,
                                       type="1000base-t")
    return local, far


def cable_items(device: Device, reading: snmp.Reading, user: object) -> list[plans.Item]:
    return plans.build(device, reading, None, user).of_kind("cable")


def test_the_agent_reports_the_neighbour_on_its_port(link: lldp.Link, reading: snmp.Reading) -> None:
    assert snmp.Neighbour(link.local_port, NEIGHBOUR, link.neighbour_port) in reading.neighbours


def test_a_neighbour_on_record_proposes_a_cable_applied_after_review(link: lldp.Link, reading: snmp.Reading,
                                                                    admin_user: object) -> None:
    local, far = recorded(link)
    [item] = cable_items(local.device, reading, admin_user)
    assert item.action == plans.CREATE and not item.errors
    assert item.changes[0].discovered == str(far)
    assert not Cable.objects.exists()  # a plan writes nothing
    token = plans.issue(plans.build(local.device, reading, None, admin_user), admin_user)
    with changes_by(admin_user, Source.UI):
        plans.apply(token, admin_user, local.device)
    cable = Cable.objects.get()
    assert {cable.a_interface, cable.b_interface} == {local, far} and cable.description == "Aptikta per LLDP"
    [again] = cable_items(local.device, reading, admin_user)
    assert again.action == plans.UNCHANGED


def test_a_neighbour_matching_nothing_is_a_review_item(link: lldp.Link, reading: snmp.Reading,
                                                       admin_user: object) -> None:
    local, _far = recorded(link, neighbour=False)
    [item] = cable_items(local.device, reading, admin_user)
    assert item.action == plans.SKIPPED and item.errors == [
        f"LLDP kaimynas {NEIGHBOUR} neatitinka jokio įrašyto įrenginio."]
    with changes_by(None, Source.SYSTEM):
        factories.device(NEIGHBOUR)
    [item] = cable_items(local.device, reading, admin_user)
    assert item.errors == [f"Įrenginys {NEIGHBOUR} neturi sąsajos {link.neighbour_port}."]


def test_a_cable_recorded_elsewhere_is_contradicted_not_moved(link: lldp.Link, reading: snmp.Reading,
                                                              admin_user: object) -> None:
    local, _far = recorded(link)
    with changes_by(None, Source.SYSTEM):
        other = Interface.objects.create(device=factories.device("kitas-komutatorius"), name="Eth1/9",
                                         type="1000base-t")
        elsewhere = Cable.objects.create(a_interface=local, b_interface=other, label="K-17")
    [item] = cable_items(local.device, reading, admin_user)
    assert item.action == plans.SKIPPED and "K-17" in item.errors[0] and "patikrinkite kabelius" in item.errors[0]
    assert list(Cable.objects.all()) == [elsewhere]


def test_who_may_not_add_cables_is_told_so(link: lldp.Link, reading: snmp.Reading) -> None:
    local, _far = recorded(link)
    [item] = cable_items(local.device, reading, discoverer())
    assert item.action == plans.CREATE and not item.applies
    assert item.errors == [f"Jums neleidžiama pridėti: {Cable._meta.verbose_name_plural}."]
