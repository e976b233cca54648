"""What a reader may not view stays out of every choice they are offered (filters, bulk edit,
edit forms), an id they may not view is refused like one that does not exist, and the journal
takes the permission to change its object (issue 19 §4)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from irtis.core.models import JournalEntry
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Device, DeviceRole
from irtis.systems.models import Component, InformationSystem
from tests.inventory import factories
from tests.systems.factories import system

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems() -> list[InformationSystem]:
    return [system(code) for code in ("MDAS", "NCTS", "ICS2")]


def signed_in(client: Client, name: str, *grants: tuple) -> User:
    user = User.objects.create_user(name)
    for model, constraints, actions in grants:
        permission = ObjectPermission.objects.create(name=f"{name}: {model.__name__}", actions=list(actions),
                                                     constraints=constraints)
        permission.users.add(user)
        permission.object_types.add(ContentType.objects.get_for_model(model))
    client.force_login(user)
    return user


def test_choices_list_only_what_the_reader_may_view(client: Client, systems: list[InformationSystem]) -> None:
    signed_in(client, "mdas", (InformationSystem, {"code": "MDAS"}, ("view",)),
              (Component, None, ("view", "add", "change")))
    for url in (reverse("systems:component_list"), reverse("systems:component_add")):
        html = client.get(url).content.decode()
        assert "Sistema MDAS" in html and "Sistema NCTS" not in html and "Sistema ICS2" not in html, url
    Component.objects.create(system=systems[0], name="Žiniatinklis")
    bulk = client.post(reverse("systems:component_bulk_edit"), {"all": "1"}).content.decode()
    assert "Sistema MDAS" in bulk and "Sistema NCTS" not in bulk


def test_no_right_on_a_related_model_offers_none_of_it(client: Client) -> None:
    factories.device("srv-1", role=factories.role("Slaptas vaidmuo"))
    signed_in(client, "devices", (Device, None, ("view", "change")))
    html = client.get(reverse("inventory:device_list")).content.decode()
    assert "srv-1" in html and "Slaptas vaidmuo" not in html.split('id="filters"')[-1].split("</form>")[0]
    bulk = client.post(reverse("inventory:device_bulk_edit"), {"all": "1"}).content.decode()
    assert "Slaptas vaidmuo" not in bulk


def test_a_hidden_id_is_refused_like_a_missing_one(client: Client, systems: list[InformationSystem]) -> None:
    signed_in(client, "mdas", (InformationSystem, {"code": "MDAS"}, ("view",)), (Component, None, ("view",)))
    hidden, missing = systems[1].pk, max(s.pk for s in systems) + 1000
    api = "/api/systems/components/"
    assert client.get(api, {"system": systems[0].pk}).status_code == 200
    answers = [client.get(api, {"system": pk}) for pk in (hidden, missing)]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["errors"].keys() == answers[1].json()["errors"].keys()
    pages = [client.get(reverse("systems:component_list"), {"system": pk}) for pk in (hidden, missing)]
    assert [p.status_code for p in pages] == [200, 200]
    assert all("alert-danger" in p.content.decode() for p in pages)


def test_a_filter_keeps_nothing_of_an_earlier_reader(client: Client, systems: list[InformationSystem]) -> None:
    """Filter sets copy their filters cheaply (core.filters): a copy must not carry the objects
    offered to the reader before."""
    hidden = systems[1].pk
    readers = [(InformationSystem, None, ("view",)), (InformationSystem, {"code": "MDAS"}, ("view",))]
    answers = []
    for name, grant in zip(("all", "mdas"), readers, strict=True):
        signed_in(client, name, grant, (Component, None, ("view",)))
        page = client.get(reverse("systems:component_list")).content.decode().split('id="filters"')[-1]
        answers.append((client.get("/api/systems/components/", {"system": hidden}).status_code,
                        "Sistema NCTS" in page.split("</form>")[0]))
    assert answers == [(200, True), (400, False)]


def test_the_journal_takes_the_permission_to_change(client: Client) -> None:
    role = DeviceRole.objects.create(name="Komutatorius")
    other = DeviceRole.objects.create(name="Maršrutizatorius")
    signed_in(client, "reader", (DeviceRole, None, ("view",)))
    url = role.get_absolute_url()
    assert "Pridėti komentarą" not in client.get(url).content.decode()
    assert client.post(f"{url}journal/", {"comments": "Skaičiau"}).status_code == 403
    signed_in(client, "writer", (DeviceRole, {"name": "Komutatorius"}, ("view", "change")))
    assert "Pridėti komentarą" in client.get(url).content.decode()
    assert "Pridėti komentarą" not in client.get(other.get_absolute_url()).content.decode()
    assert client.post(f"{other.get_absolute_url()}journal/", {"comments": "Ne savo"}).status_code == 404
    assert client.post(f"{url}journal/", {"comments": "Pakeičiau"}).status_code == 302
    assert list(JournalEntry.objects.values_list("comments", flat=True)) == ["Pakeičiau"]
