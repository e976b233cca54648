"""Rack reservations: their rules, the rack's utilisation (SQL, constant queries) on its page and
list, and reserved units on the elevation."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import override

from irtis.inventory import elevation
from irtis.inventory.models import Rack, RackReservation
from irtis.inventory.models.reservations import with_utilisation
from tests.support.contract import ModelContract
from tests.support.language import choose

from . import factories as f


def reserve(rack: Rack, first: int, last: int, **values: Any) -> RackReservation:
    values.setdefault("team", f.team())
    values.setdefault("description", "Naujas serveris")
    obj = RackReservation(rack=rack, first_unit=first, last_unit=last, **values)
    obj.full_clean()
    obj.save()
    return obj


def refused(obj: RackReservation) -> dict:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


class TestRackReservation(ModelContract):
    model = RackReservation
    change = {"description": "Atsarginė saugykla", "last_unit": 13}

    def make(self, n: int) -> RackReservation:
        return RackReservation.objects.create(rack=f.rack(n), first_unit=1, last_unit=2, team=f.team(),
                                              description=f"Rezervacija {n}")

    def new_values(self) -> dict:
        return {"rack": f.rack(99), "first_unit": 10, "last_unit": 12, "team": f.team(),
                "description": "Oracle Exadata plėtra"}


@override("en")
def test_reservation_rules(db: Any, admin_user: Any) -> None:
    rack = f.rack(u_height=20)
    f.device("dc1-esx-01", rack=rack, position=3, face="front")  # 2U: units 3–4
    first = reserve(rack, 10, 12)
    assert str(first) == "DC1-A01 U10–U12"
    assert refused(RackReservation(rack=rack, first_unit=5, last_unit=6, description="x"))["team"] == [
        "Choose the person or the team the units are reserved for."]
    assert refused(RackReservation(rack=rack, first_unit=8, last_unit=7, team=f.team(), description="x"))[
        "last_unit"] == ["The last unit cannot be below the first one."]
    assert refused(RackReservation(rack=rack, first_unit=19, last_unit=21, team=f.team(), description="x"))[
        "last_unit"] == ["The rack is 20 U high."]
    assert refused(RackReservation(rack=rack, first_unit=12, last_unit=14, user=admin_user, description="x"))[
        "first_unit"] == ["Units 12–14 overlap the reservation DC1-A01 U10–U12."]
    assert refused(RackReservation(rack=rack, first_unit=1, last_unit=3, team=f.team(), description="x"))[
        "first_unit"] == ["Units 1–3 are taken by dc1-esx-01."]
    reserve(rack, 13, 13, user=admin_user)  # next to another reservation: fine
    assert RackReservation.objects.count() == 2
    # a device mounted in the units since (the one they were kept for) does not stop other changes
    f.device("dc1-ora-01", rack=rack, position=10, face="front")
    first.description = "Oracle mazgas sumontuotas"
    first.full_clean()
    first.save()
    first.first_unit = 9  # but moving the reservation is checked again
    assert refused(first)["first_unit"] == ["Units 9–12 are taken by dc1-ora-01."]
    rack.u_height = 12
    with pytest.raises(ValidationError) as error:
        rack.full_clean()
    assert error.value.message_dict["u_height"] == [
        "A reservation takes units up to 13; the rack must be at least that high."]


def test_refused_by_api_writes_nothing(admin_client: Client) -> None:
    rack = f.rack(u_height=10)
    choose(admin_client, "lt")
    response = admin_client.post("/api/inventory/rack-reservations/", {
        "rack": rack.pk, "first_unit": 9, "last_unit": 11, "team": f.team().pk, "description": "x"},
        content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]["last_unit"] == ["Spintos aukštis – 10 U."]
    assert not RackReservation.objects.exists()


def test_utilisation_counts_each_unit_once(db: Any) -> None:
    rack = f.rack(u_height=20)
    f.device("full", rack=rack, position=1, face="front")  # full depth, 2U: 1–2
    half = f.hardware("Pusinis", u_height=2, full_depth=False)
    f.device("front", rack=rack, position=5, face="front", hardware_model=half)  # 5–6
    f.device("rear", rack=rack, position=6, face="rear", hardware_model=half)  # 6–7: shares 6
    f.device("rear-2", rack=rack, position=10, face="rear", hardware_model=half)  # 10–11
    f.device("loose", rack=rack)  # not mounted
    reserve(rack, 15, 18)
    reserve(rack, 20, 20)
    row = with_utilisation(Rack.objects.filter(pk=rack.pk)).get()
    assert (row.occupied_units, row.occupied_percent) == (2 + 3 + 2, 35)
    assert (row.reserved_units, row.reserved_percent) == (5, 25)
    empty = with_utilisation(Rack.objects.filter(pk=f.rack(2).pk)).get()
    assert (empty.occupied_units, empty.reserved_units, empty.occupied_percent) == (0, 0, 0)


def test_rack_list_and_page_show_utilisation(admin_client: Client, django_assert_max_num_queries: Any) -> None:
    choose(admin_client, "en")
    rack = f.rack(1, u_height=10)
    f.device("dc1-esx-01", rack=rack, position=1, face="front")
    reserve(rack, 5, 7)
    with django_assert_max_num_queries(40) as few:
        page = admin_client.get("/inventory/racks/").content.decode()
    assert "<th>Occupied (%)</th>" in page and "<th>Reserved (%)</th>" in page
    for n in range(2, 12):
        other = f.rack(n, u_height=10)
        f.device(f"dc1-esx-{n:02d}", rack=other, position=1, face="front")
        reserve(other, 3, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get("/inventory/racks/").content.decode()
    for name, cells in (("DC1-A01", "<td>active</td><td>20</td><td>30</td>"),
                        ("DC1-A02", "<td>active</td><td>20</td><td>10</td>")):
        row = page[page.find(f">{name}<"):]
        assert row[:row.find("</tr>")].endswith(cells)
    detail = admin_client.get(rack.get_absolute_url()).content.decode()
    assert "Occupied by devices: 2 of 10 U (20 %)." in detail and "Reserved: 3 U (30 %)." in detail


def test_elevation_shows_reserved_units(admin_client: Client, client: Client, settings: Any) -> None:
    rack = f.rack(u_height=10)
    reserve(rack, 5, 6, description="Naujas Oracle mazgas")
    svg = admin_client.get(f"/inventory/racks/{rack.pk}/elevation.svg").content.decode()
    top = elevation.TOP + (10 - 6) * elevation.UNIT + 1
    assert f'class="res" x="{elevation.GUTTER + 2}" y="{top}"' in svg
    assert "Naujas Oracle mazgas" in svg and "Serverių komanda" in svg
    drawn = elevation.draw(rack, "rear", [], [elevation.Reserved(5, 6, "")])  # a reader who may not view it
    assert 'class="res"' in drawn and "Naujas" not in drawn
