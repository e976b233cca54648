"""Interfaces: the contract and one name per device."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from irtis.inventory.models import Interface
from tests.support.contract import ModelContract

from . import factories as f


class TestInterface(ModelContract):
    model = Interface
    change = {"mtu": 9000, "description": "Į SAN komutatorių"}

    def make(self, n: int) -> Interface:
        device = f.device(f"dc1-esx-{n:02d}")
        return Interface.objects.create(device=device, name="eth0", mac_address=f"00:50:56:00:00:{n:02x}")

    def new_values(self) -> dict:
        return {"device": f.device("dc1-ora-01"), "name": "bond0", "type": "lag", "enabled": True}


def test_interface_name_unique_per_device(db: Any) -> None:
    one, two = f.device("a"), f.device("b")
    Interface.objects.create(device=one, name="eth0")
    Interface(device=two, name="eth0").full_clean()
    with pytest.raises(ValidationError):
        Interface(device=one, name="eth0").full_clean()


def test_mac_address_is_checked_and_lowered(db: Any) -> None:
    with pytest.raises(ValidationError):
        Interface(device=f.device("a"), name="eth0", mac_address="00:50:56").full_clean()
    port = Interface(device=f.device("b"), name="eth0", mac_address="00:50:56:AB:CD:EF")
    port.full_clean()
    port.save()
    assert Interface.objects.get(pk=port.pk).mac_address == "00:50:56:ab:cd:ef"


def test_api_refuses_duplicate_interface_name(admin_client: Any) -> None:
    device = f.device("a")
    Interface.objects.create(device=device, name="eth0")
    payload = {"device": device.pk, "name": "eth0"}
    response = admin_client.post("/api/inventory/interfaces/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
