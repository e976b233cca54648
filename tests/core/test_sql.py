"""The bulk SQL below the ORM stores values exactly as the ORM's save() would."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from irtis.identity.models import APIToken
from irtis.inventory.models import HardwareModel, Manufacturer
from irtis.sql import insert_returning, update_many

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 29, 8, 30, 15, 123456, tzinfo=datetime.UTC)


def stored(obj: models.Model, names: list[str]) -> dict[str, object]:
    return type(obj).objects.filter(pk=obj.pk).values(*names).get()


def test_insert_returning_numbers_new_rows_in_order() -> None:
    maker = Manufacturer.objects.create(name="Dell")
    new = [HardwareModel(manufacturer=maker, name=f"R{i}", u_height=i, full_depth=bool(i % 2),
                         end_of_sale=datetime.date(2030, 1, i + 1) if i else None) for i in range(3)]
    insert_returning(HardwareModel, new)
    assert [stored(m, ["name", "u_height", "full_depth", "end_of_sale"]) for m in new] == [
        {"name": "R0", "u_height": 0, "full_depth": False, "end_of_sale": None},
        {"name": "R1", "u_height": 1, "full_depth": True, "end_of_sale": datetime.date(2030, 1, 2)},
        {"name": "R2", "u_height": 2, "full_depth": False, "end_of_sale": datetime.date(2030, 1, 3)},
    ]
    assert [m.pk for m in new] == sorted({m.pk for m in new}) and all(m.created for m in new)


def test_update_many_sets_each_row_its_own_values_of_every_type() -> None:
    maker = Manufacturer.objects.create(name="HPE")
    hardware = [HardwareModel.objects.create(manufacturer=maker, name=f"DL{i}", power_draw=100) for i in range(3)]
    for i, item in enumerate(hardware):
        item.name, item.full_depth, item.power_draw = f"DL{i}-g11", i == 1, None if i == 2 else 500 + i
        item.end_of_support = datetime.date(2031, 6, i + 1) if i else None
    update_many(HardwareModel, hardware, ["name", "full_depth", "power_draw", "end_of_support"])
    names = ["name", "full_depth", "power_draw", "end_of_support"]
    assert [stored(h, names) for h in hardware] == [
        {"name": "DL0-g11", "full_depth": False, "power_draw": 500, "end_of_support": None},
        {"name": "DL1-g11", "full_depth": True, "power_draw": 501, "end_of_support": datetime.date(2031, 6, 2)},
        {"name": "DL2-g11", "full_depth": False, "power_draw": None, "end_of_support": datetime.date(2031, 6, 3)},
    ]


def test_update_many_stores_json_and_times() -> None:
    user = get_user_model().objects.create_user("json-user")
    tokens = [APIToken(user=user, digest=f"{i:064}", prefix=f"p{i}") for i in range(2)]
    insert_returning(APIToken, tokens)
    tokens[0].allowed_networks, tokens[0].last_used = ["10.0.0.0/8", "192.168.1.0/24"], NOW
    tokens[1].allowed_networks, tokens[1].last_used = [], None
    update_many(APIToken, tokens, ["allowed_networks", "last_used"])
    assert [stored(t, ["allowed_networks", "last_used"]) for t in tokens] == [
        {"allowed_networks": ["10.0.0.0/8", "192.168.1.0/24"], "last_used": NOW},
        {"allowed_networks": [], "last_used": None},
    ]


def test_update_many_of_decimals_keeps_their_scale() -> None:
    from irtis.inventory.models import Device, DeviceRole, Site, StorageCapacity

    site = Site.objects.create(code="S", name="S", kind=Site.Kind.DATA_CENTRE)
    role = DeviceRole.objects.create(name="Disk array")
    model = HardwareModel.objects.create(manufacturer=Manufacturer.objects.create(name="NetApp"), name="AFF")
    arrays = [Device.objects.create(name=f"array-{i}", site=site, role=role, hardware_model=model) for i in range(2)]
    capacities = [StorageCapacity.objects.create(device=a, raw_tb=Decimal("100"), usable_tb=Decimal("80"))
                  for a in arrays]
    capacities[0].used_tb, capacities[1].used_tb = Decimal("12.5"), Decimal("0.25")
    update_many(StorageCapacity, capacities, ["used_tb"])
    assert [stored(c, ["used_tb"])["used_tb"] for c in capacities] == [Decimal("12.50"), Decimal("0.25")]


def test_in_list_lookup_matches_in_with_one_parameter() -> None:
    maker = Manufacturer.objects.create(name="Lenovo")
    made = [HardwareModel.objects.create(manufacturer=maker, name=f"SR{i}") for i in range(3)]
    wanted = [made[0].pk, made[2].pk, 10**12]  # an id that exists nowhere is no error
    many = list(range(10**9, 10**9 + 40_000))  # beyond SQLite's limit of placeholders in one statement
    assert set(HardwareModel.objects.filter(pk__in_list=wanted)) == {made[0], made[2]}
    assert set(HardwareModel.objects.filter(pk__in_list=[*many, made[1].pk])) == {made[1]}
    assert not HardwareModel.objects.filter(pk__in_list=[]).exists()
    assert len(HardwareModel.objects.filter(pk__in_list=many).query.sql_with_params()[1]) == 1
