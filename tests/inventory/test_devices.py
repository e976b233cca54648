"""Devices, roles, hardware models and teams: the contract and the placement rules."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import Client

from irtis.inventory.models import Device, DeviceRole, HardwareModel, StorageCapacity, Team
from tests.support.contract import ModelContract

from . import factories as f


class TestDeviceRole(ModelContract):
    model = DeviceRole
    change = {"color": "#dc3545"}

    def make(self, n: int) -> DeviceRole:
        return f.role(f"Rolė {n}")

    def new_values(self) -> dict:
        return {"name": "Saugasienė", "color": "#fd7e14"}


class TestHardwareModel(ModelContract):
    model = HardwareModel
    change = {"part_number": "P24840-B21", "power_draw": 800}

    def make(self, n: int) -> HardwareModel:
        return f.hardware(f"Modelis-{n}")

    def new_values(self) -> dict:
        return {"manufacturer": f.maker(), "name": "PowerEdge R760", "u_height": 2, "full_depth": True}


class TestTeam(ModelContract):
    model = Team
    change = {"description": "Duomenų bazių administratoriai"}

    def make(self, n: int) -> Team:
        return f.team(f"Komanda {n}")

    def new_values(self) -> dict:
        return {"name": "Tinklų komanda", "email": "tinklai@lrmuitine.lt"}


class TestDevice(ModelContract):
    model = Device
    change = {"status": "maintenance", "description": "Keičiamas maitinimo blokas"}
    # The page's panels: its ports of six kinds, addresses, FHRP memberships, checks and alerts.
    detail_budget = ModelContract.detail_budget + 1

    def make(self, n: int) -> Device:
        rack = f.rack(1) if n == 0 or not Device.objects.exists() else Device.objects.first().rack or f.rack(99)
        return f.device(f"dc1-esx-{n:02d}", rack=rack, position=1 + 2 * n, face="front", asset_number=f"MISC-{n:05d}",
                        team=f.team(), platform=f.version())

    def new_values(self) -> dict:
        return {"name": "dc1-ora-01", "role": f.role(), "hardware_model": f.hardware(), "site": f.site(),
                "status": "planned", "serial": "CZ2D1234"}


class TestStorageCapacity(ModelContract):
    model = StorageCapacity
    change = {"used_tb": Decimal("120.50")}

    def make(self, n: int) -> StorageCapacity:
        array = f.device(f"dc1-masyvas-{n:02d}", role=f.role("Diskų masyvas"))
        return StorageCapacity.objects.create(device=array, raw_tb=400, usable_tb=300, used_tb=100)

    def new_values(self) -> dict:
        return {"device": f.device("dc2-masyvas-01"), "raw_tb": Decimal(250), "usable_tb": Decimal(200),
                "used_tb": Decimal(50)}


@pytest.fixture
def rack(db: Any):
    return f.rack(u_height=42)


def placed(name: str, rack: Any, position: int, face: str = "front", **values: Any) -> Device:
    return Device(name=name, site=rack.site, rack=rack, position=position, face=face, role=f.role(),
                  hardware_model=values.pop("hardware_model", f.hardware()), **values)


def errors(device: Device) -> dict[str, list[str]]:
    try:
        device.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_devices_may_not_overlap(rack: Any) -> None:
    f.device("a", rack=rack, position=10, face="front")  # 2U: 10–11
    assert "position" in errors(placed("b", rack, 11))
    assert "position" in errors(placed("b", rack, 9))  # 9–10
    assert "position" in errors(placed("b", rack, 10, face="rear"))  # full depth blocks the rear
    assert errors(placed("b", rack, 12)) == {}
    assert errors(placed("b", rack, 8)) == {}


def test_half_depth_devices_share_a_unit_on_opposite_faces(rack: Any) -> None:
    half = f.hardware("Patch panel", u_height=1, full_depth=False)
    f.device("panel-front", rack=rack, position=20, face="front", hardware_model=half)
    assert errors(placed("panel-rear", rack, 20, face="rear", hardware_model=half)) == {}
    assert "position" in errors(placed("panel-2", rack, 20, face="front", hardware_model=half))
    assert "position" in errors(placed("server", rack, 19, face="rear"))  # full depth clashes with both


def test_moving_a_device_does_not_clash_with_itself(rack: Any) -> None:
    device = f.device("a", rack=rack, position=10, face="front")
    device.position = 11
    device.full_clean()


def test_position_must_fit_in_the_rack(rack: Any) -> None:
    assert "position" in errors(placed("b", rack, 42))  # 2U from 42 needs 43
    assert errors(placed("b", rack, 41)) == {}
    assert "position" in errors(placed("b", rack, 0))


def test_position_needs_rack_and_face(rack: Any) -> None:
    device = placed("b", rack, 5)
    device.rack = None
    assert "position" in errors(device)
    assert "face" in errors(placed("b", rack, 5, face=""))
    loose = placed("b", rack, 5)
    loose.position = None
    assert "face" in errors(loose)


def test_rack_must_be_at_the_device_site(rack: Any) -> None:
    device = placed("b", rack, 5)
    device.site = f.site("DC2")
    assert "rack" in errors(device)


def test_asset_number_unique_only_when_set(rack: Any) -> None:
    f.device("a", asset_number="")
    f.device("b", asset_number="")
    assert Device.objects.filter(asset_number__isnull=True).count() == 2
    f.device("c", asset_number="MISC-1")
    duplicate = Device(name="d", site=f.site(), role=f.role(), hardware_model=f.hardware(), asset_number="MISC-1")
    assert "asset_number" in errors(duplicate)


def test_hardware_model_in_use_cannot_be_deleted(rack: Any) -> None:
    model = f.hardware()
    f.device("a")
    with pytest.raises(ProtectedError):
        model.delete()


def test_api_refuses_overlapping_device(admin_client: Client, rack: Any) -> None:
    f.device("a", rack=rack, position=10, face="front")
    payload = {"name": "b", "site": rack.site_id, "rack": rack.pk, "position": 11, "face": "front",
               "role": f.role().pk, "hardware_model": f.hardware().pk}
    response = admin_client.post("/api/inventory/devices/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "position" in response.json()["errors"]


def test_storage_capacity_rules(db: Any) -> None:
    capacity = StorageCapacity(device=f.device("m"), raw_tb=100, usable_tb=120, used_tb=0)
    with pytest.raises(ValidationError):
        capacity.full_clean()
    capacity.usable_tb, capacity.used_tb = 80, 90
    with pytest.raises(ValidationError):
        capacity.full_clean()
    capacity.used_tb = 60
    capacity.full_clean()
    assert capacity.used_percent == 75.0
