"""Related-object choices in forms: search box above the threshold, only what the reader may see,
narrowed by the parents chosen (core.choices, core.lookup)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from irtis.core.bulk import save_objects
from irtis.core.widgets import LOOKUP_THRESHOLD
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Interface, Location, Rack, Site
from irtis.network.models import IPAddress
from tests.inventory import factories

pytestmark = pytest.mark.django_db


def interfaces(device: object, count: int) -> list[Interface]:
    objects = [Interface(device=device, name=f"eth{n}") for n in range(count)]
    save_objects(objects)
    return objects


def grant(user: User, model: type, constraints: object = None, actions: tuple = ("view",)) -> None:
    permission = ObjectPermission.objects.create(name=model.__name__, actions=list(actions), constraints=constraints)
    permission.users.add(user)
    permission.object_types.add(ContentType.objects.get_for_model(model))


@pytest.mark.parametrize("count", [LOOKUP_THRESHOLD, LOOKUP_THRESHOLD + 1])
def test_search_box_only_above_the_threshold(admin_client: Client, count: int) -> None:
    interfaces(factories.device("srv-1"), count)
    html = admin_client.get(reverse("network:ipaddress_add")).content.decode()
    box = 'data-lookup-for="id_interface"'
    if count > LOOKUP_THRESHOLD:
        assert box in html and 'placeholder="Ieškoti…"' in html
        assert html.count('<option value="') < 20  # the interfaces are not rendered, only devices and tags
    else:
        assert box not in html and html.count(">srv-1 eth") == count


def test_lookup_finds_only_what_the_reader_may_see(client: Client) -> None:
    med, dc1 = factories.site("MED"), factories.site("DC1")
    for site in (med, dc1):
        for n in range(3):
            Location.objects.create(site=site, code=f"{site.code}-{n}", name=f"Patalpa {site.code} {n}")
    user = User.objects.create_user("pasienis")
    grant(user, Location, {"site__code": "MED"})
    client.force_login(user)
    url = reverse("lookup", args=["inventory.location"])
    found = client.get(url, {"lookup-q": "patalpa"}).content.decode()
    assert found.count("data-lookup-value") == 3 and "Patalpa DC1" not in found
    assert "Nerasta" in client.get(url, {"lookup-q": "patalpa", "site": dc1.pk}).content.decode()
    # A user who may not see sites gets none, by search or by options.
    sites = reverse("lookup", args=["inventory.site"])
    assert "data-lookup-value" not in client.get(sites).content.decode()
    assert "<option" not in client.get(sites, {"lookup-options": 1}).content.decode()


def test_lookup_narrows_by_parents_and_refuses_bad_ones(admin_client: Client) -> None:
    dc1, dc2 = factories.site("DC1"), factories.site("DC2")
    room = Location.objects.create(site=dc1, code="R1", name="Serverinė")
    in_room = Rack.objects.create(site=dc1, location=room, name="A01")
    anywhere = Rack.objects.create(site=dc1, name="A02")  # no location: fits every location of DC1
    Rack.objects.create(site=dc2, name="B01")
    url = reverse("lookup", args=["inventory.rack"])
    options = admin_client.get(url, {"lookup-options": 1, "site": dc1.pk, "location": room.pk}).content.decode()
    assert options.count("<option") == 2 and "B01" not in options
    assert admin_client.get(url, {"lookup-options": 1, "site": dc2.pk, "lookup-pk": in_room.pk}).content.strip() == b""
    kept = admin_client.get(url, {"lookup-options": 1, "site": dc1.pk, "lookup-pk": anywhere.pk}).content.decode()
    assert f'value="{anywhere.pk}"' in kept and "A01" not in kept
    for bad in ({"site": "x"}, {"name": "A01"}, {"nothing": 1}, {"site": 2**63}, {"lookup-pk": "-1"}):
        response = admin_client.get(url, bad)
        assert response.status_code == 400, bad


def test_lookup_reads_a_constant_number_of_queries(admin_client: Client) -> None:
    """Each match's name shows its device: read in the same query, not one query per match."""
    url = reverse("lookup", args=["inventory.interface"])
    counts = []
    for n, count in enumerate((3, 20)):
        device = factories.device(f"srv-{n}")
        interfaces(device, count)
        with CaptureQueriesContext(connection) as queries:
            html = admin_client.get(url, {"lookup-q": "eth", "device": device.pk}).content.decode()
        assert html.count("data-lookup-value") == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_choices_of_the_same_name_show_what_tells_them_apart(admin_client: Client) -> None:
    """Six rooms named "Komutacinė" at six posts: each choice names its site, in the select,
    the search box and the options fetched again; a name held once stays as it is."""
    for code in ("MED", "SAL", "KYB"):
        Location.objects.create(site=factories.site(code), code=f"{code}-KOM", name="Komutacinė")
    Location.objects.create(site=factories.site("DC1"), code="DC1-SERV-1", name="Serverinė 1")
    form = admin_client.get(reverse("inventory:rack_add")).content.decode()
    for code in ("MED", "SAL", "KYB"):
        assert f">Komutacinė ({code} Vieta {code})<" in form
    assert ">Serverinė 1<" in form
    url = reverse("lookup", args=["inventory.location"])
    found = admin_client.get(url, {"lookup-q": "komutacinė"}).content.decode()
    assert found.count("Komutacinė (") == 3
    options = admin_client.get(url, {"lookup-options": 1}).content.decode()
    assert ">Komutacinė (SAL Vieta SAL)<" in options and ">Serverinė 1<" in options


def test_form_offers_only_fitting_children_and_refuses_others(admin_client: Client) -> None:
    dc1, dc2 = factories.site("DC1"), factories.site("DC2")
    here = Location.objects.create(site=dc1, code="R1", name="Serverinė DC1")
    there = Location.objects.create(site=dc2, code="R2", name="Serverinė DC2")
    rack = Rack.objects.create(site=dc1, name="A01")
    html = admin_client.get(reverse("inventory:rack_edit", args=[rack.pk])).content.decode()
    assert "Serverinė DC1" in html and "Serverinė DC2" not in html
    assert 'data-depends="{&quot;site&quot;: &quot;site&quot;}"' in html

    data = {"site": dc1.pk, "location": there.pk, "name": "A01", "u_height": 42, "status": "active",
            "version": rack.version}
    response = admin_client.post(reverse("inventory:rack_edit", args=[rack.pk]), data)
    assert response.status_code == 400
    assert "Pasirinkite reikšmę, atitinkančią aukščiau pasirinktus laukus: Vieta." in response.content.decode()
    data["location"] = here.pk
    assert admin_client.post(reverse("inventory:rack_edit", args=[rack.pk]), data).status_code == 302
    assert Rack.objects.get(pk=rack.pk).location == here


def test_ip_address_form_narrows_interfaces_by_a_device(admin_client: Client) -> None:
    one, two = factories.device("srv-1"), factories.device("srv-2")
    eth0 = interfaces(one, 1)[0]
    other = interfaces(two, 1)[0]
    address = IPAddress(address="10.0.0.1/24", interface=eth0)
    address.full_clean()
    address.save()
    url = reverse("network:ipaddress_edit", args=[address.pk])
    html = admin_client.get(url).content.decode()
    assert f'<option value="{one.pk}" selected>srv-1</option>' in html  # the device of its interface
    assert html.index('id="id_device"') < html.index('id="id_interface"')
    assert "srv-2 eth0" not in html

    data = {"address": "10.0.0.1/24", "status": "active", "device": one.pk, "interface": other.pk,
            "version": address.version}
    assert admin_client.post(url, data).status_code == 400
    data.update(device=two.pk)
    assert admin_client.post(url, data).status_code == 302
    assert IPAddress.objects.get(pk=address.pk).interface == other


def test_form_selects_hold_what_the_user_may_see_and_the_value_held(client: Client) -> None:
    med, dc1 = factories.site("MED"), factories.site("DC1")
    location = Location.objects.create(site=dc1, code="R1", name="Serverinė")
    user = User.objects.create_user("pasienis")
    grant(user, Site, {"code": "MED"})
    grant(user, Location, None, ("view", "change"))
    client.force_login(user)
    url = reverse("inventory:location_edit", args=[location.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{dc1.pk}" selected>' in html  # held, though not visible to the user
    assert f'<option value="{med.pk}">' in html
    Site.objects.create(code="SAL", name="Vieta SAL", kind="road_bcp")
    assert "Vieta SAL" not in html and "Vieta SAL" not in client.get(url).content.decode()
    data = {"site": dc1.pk, "code": "R1", "name": "Serverinė 1", "kind": "room", "version": location.version}
    assert client.post(url, data).status_code == 302  # unchanged: still accepted
    sal = Site.objects.get(code="SAL")
    data.update(site=sal.pk, version=location.version + 1)
    assert client.post(url, data).status_code == 400
