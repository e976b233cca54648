"""Racks: the generic contract, integrity when a rack changes, and the elevation picture."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from irtis.identity.models import User
from irtis.inventory import elevation
from irtis.inventory.models import Device, Location, Rack
from tests.core.test_choices import grant
from tests.support.contract import ModelContract

from . import factories as f


class TestRack(ModelContract):
    model = Rack
    change = {"description": "Perkelta į salę B", "u_height": 47}

    def make(self, n: int) -> Rack:
        return f.rack(n)

    def new_values(self) -> dict:
        return {"site": f.site(), "name": "DC1-NAUJA", "u_height": 42, "status": "active"}

    def differ(self, name: str, first: Rack, second: Rack) -> str:
        if name != "location":
            return super().differ(name, first, second)
        first.location = Location.objects.create(site=first.site, code=f"SALE-{first.pk}", name="Salė")
        first.save()
        return str(first.location_id)


@pytest.mark.django_db
def test_rack_cannot_shrink_below_mounted_devices() -> None:
    rack = f.rack()
    f.device("srv-1", rack=rack, position=40, face="front")  # 2U: units 40–41
    rack.u_height = 40
    with pytest.raises(ValidationError) as error:
        rack.full_clean()
    assert "u_height" in error.value.message_dict
    rack.u_height = 41
    rack.full_clean()


@pytest.mark.django_db
def test_rack_cannot_move_away_from_its_devices() -> None:
    rack = f.rack()
    f.device("srv-1", rack=rack, position=1, face="front")
    rack.site = f.site("DC2")
    with pytest.raises(ValidationError) as error:
        rack.full_clean()
    assert "site" in error.value.message_dict


@pytest.fixture
def filled_rack(db: Any) -> Rack:
    rack = f.rack(u_height=10)
    f.device("dc1-esx-01", rack=rack, position=1, face="front")  # 2U full depth
    f.device("dc1-sw-<01>", rack=rack, position=5, face="rear",
             hardware_model=f.hardware("Nexus 93180", u_height=1, full_depth=False),
             role=f.role("LAN komutatorius", "#198754"))
    f.device("dc1-lentyna", rack=rack)
    return rack


def test_elevation_draws_devices_at_their_units(filled_rack: Rack, admin_user: Any) -> None:
    devices = elevation.mounted_devices(filled_rack, admin_user)
    front = elevation.draw(filled_rack, "front", devices)
    rear = elevation.draw(filled_rack, "rear", devices)
    assert front.startswith("<svg") and front.endswith("</svg>")
    # U1–U2 of a 10U rack: the top of the box is at unit 2, i.e. 8 units below the top.
    top_of_box = elevation.TOP + 8 * elevation.UNIT + 1
    assert f'y="{top_of_box}" width="{elevation.WIDTH - 4}" height="{2 * elevation.UNIT - 2}"' in front
    assert "dc1-esx-01" in front and "dc1-esx-01" in rear  # full depth: on both faces
    assert "dc1-sw-&lt;01&gt;" in rear and "dc1-sw" not in front  # escaped, rear only
    assert 'class="dev ghost"' in rear  # the front device seen from behind
    assert "/inventory/devices/" in front


def test_elevation_pages(admin_client: Client, filled_rack: Rack, settings: Any,
                         django_assert_max_num_queries: Any) -> None:
    settings.ROOT_URLCONF = "tests.inventory.urls"
    response = admin_client.get(f"/inventory/racks/{filled_rack.pk}/elevation.svg?face=rear")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert b"dc1-sw-&lt;01&gt;" in response.content
    assert admin_client.get(f"/inventory/racks/{filled_rack.pk}/elevation.svg?face=side").status_code == 404
    with django_assert_max_num_queries(30):
        page = admin_client.get(filled_rack.get_absolute_url()).content.decode()
    assert page.count("<svg") == 2 and "dc1-lentyna" in page


def test_elevation_needs_permission(client: Client, filled_rack: Rack, settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.inventory.urls"
    response = client.get(f"/inventory/racks/{filled_rack.pk}/elevation.svg")
    assert response.status_code == 302  # to the sign-in page


def test_elevation_hides_devices_the_reader_may_not_view(client: Client, filled_rack: Rack, settings: Any) -> None:
    """A device outside the reader's permissions is an anonymous occupied block: no name, role or link."""
    settings.ROOT_URLCONF = "tests.inventory.urls"
    user = User.objects.create_user("rackview")
    grant(user, Rack)
    grant(user, Device, {"name": "dc1-esx-01"})
    client.force_login(user)
    rear = client.get(f"/inventory/racks/{filled_rack.pk}/elevation.svg?face=rear").content.decode()
    assert "dc1-esx-01" in rear and "Užimta" in rear  # the switch at U5 only as occupied
    assert "dc1-sw" not in rear and "LAN komutatorius" not in rear and rear.count("/inventory/devices/") == 2
    page = client.get(filled_rack.get_absolute_url()).content.decode()
    assert "dc1-sw" not in page and "dc1-lentyna" not in page and "dc1-esx-01" in page
    assert "Užimta" in page and "dar 1 įrenginys, kurio jums neleidžiama matyti" in page
