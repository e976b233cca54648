"""Hardware model templates: their rules, and their copy to each new device on every way in
(model, page form, API single and list, import) in a number of queries that does not grow with
the number of templates."""

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import override

from irtis.audit.models import AuditEntry
from irtis.inventory.models import (
    ConsolePortTemplate,
    Device,
    FrontPortTemplate,
    HardwareModel,
    Interface,
    InterfaceTemplate,
    PowerPortTemplate,
    RearPortTemplate,
)
from tests.support.contract import ModelContract

from . import factories as f


def saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def server_model(interfaces: int = 4) -> HardwareModel:
    """A server model with `interfaces` data ports, an iDRAC, a console and two power supplies."""
    model = f.hardware("PowerEdge R750")
    for n in range(interfaces):
        saved(InterfaceTemplate(hardware_model=model, name=f"eth{n}", type="10gbase-x-sfpp"))
    saved(InterfaceTemplate(hardware_model=model, name="iDRAC", type="mgmt"))
    saved(ConsolePortTemplate(hardware_model=model, name="Serial", type="de-9"))
    for n in (1, 2):
        saved(PowerPortTemplate(hardware_model=model, name=f"PSU{n}", maximum_draw=1400, allocated_draw=700))
    return model


def components(device: Device) -> dict[str, list[str]]:
    return {"interfaces": sorted(device.interfaces.values_list("name", flat=True)),
            "consoles": list(device.consoleports.values_list("name", flat=True)),
            "power": sorted(device.powerports.values_list("name", "allocated_draw"))}


class TestInterfaceTemplate(ModelContract):
    model = InterfaceTemplate
    change = {"type": "mgmt", "description": "Valdymo prievadas"}

    def make(self, n: int) -> InterfaceTemplate:
        return InterfaceTemplate.objects.create(hardware_model=f.hardware(f"Modelis {n}"), name=f"eth{n}")

    def new_values(self) -> dict:
        return {"hardware_model": f.hardware("PowerEdge R750"), "name": "iDRAC", "type": "mgmt"}


class TestConsolePortTemplate(ModelContract):
    model = ConsolePortTemplate
    change = {"type": "usb-c"}

    def make(self, n: int) -> ConsolePortTemplate:
        return ConsolePortTemplate.objects.create(hardware_model=f.hardware(f"Modelis {n}"), name=f"con{n}")

    def new_values(self) -> dict:
        return {"hardware_model": f.hardware("Nexus 93180YC-FX"), "name": "console", "type": "rj-45"}


class TestPowerPortTemplate(ModelContract):
    model = PowerPortTemplate
    change = {"allocated_draw": 400}

    def make(self, n: int) -> PowerPortTemplate:
        return PowerPortTemplate.objects.create(hardware_model=f.hardware(f"Modelis {n}"), name=f"PSU{n}",
                                                maximum_draw=800)

    def new_values(self) -> dict:
        return {"hardware_model": f.hardware("PowerEdge R750"), "name": "PSU1", "maximum_draw": 1400,
                "allocated_draw": 700}


class TestRearPortTemplate(ModelContract):
    model = RearPortTemplate
    change = {"positions": 24}

    def make(self, n: int) -> RearPortTemplate:
        return RearPortTemplate.objects.create(hardware_model=f.hardware(f"Skydelis {n}"), name=f"R{n}",
                                               positions=12)

    def new_values(self) -> dict:
        return {"hardware_model": f.hardware("MPO skydelis"), "name": "R1", "type": "mpo", "positions": 12}


class TestFrontPortTemplate(ModelContract):
    model = FrontPortTemplate
    change = {"description": "Šviesolaidis 1"}

    def make(self, n: int) -> FrontPortTemplate:
        model = f.hardware(f"Skydelis {n}")
        rear = RearPortTemplate.objects.create(hardware_model=model, name="R1", positions=12)
        return FrontPortTemplate.objects.create(hardware_model=model, name=f"F{n}", rear_port=rear,
                                                rear_port_position=1)

    def new_values(self) -> dict:
        model = f.hardware("MPO skydelis")
        rear = RearPortTemplate.objects.create(hardware_model=model, name="R1", positions=12)
        return {"hardware_model": model, "name": "F1", "type": "lc", "rear_port": rear, "rear_port_position": 2}


@override("en")
def test_template_rules(db: Any) -> None:
    model, other = f.hardware("MPO skydelis"), f.hardware("Kitas skydelis")
    rear = saved(RearPortTemplate(hardware_model=model, name="R1", positions=2))

    def refused(obj: Any) -> dict:
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        return error.value.message_dict

    assert refused(FrontPortTemplate(hardware_model=other, name="F1", rear_port=rear))["rear_port"] == [
        "The rear port must be of the same hardware model."]
    assert refused(FrontPortTemplate(hardware_model=model, name="F1", rear_port=rear, rear_port_position=3))[
        "rear_port_position"] == ["The rear port has 2 positions."]
    saved(FrontPortTemplate(hardware_model=model, name="F2", rear_port=rear, rear_port_position=2))
    rear.positions = 1
    assert refused(rear)["positions"] == ["A front port uses a higher position of this rear port."]
    assert refused(PowerPortTemplate(hardware_model=model, name="PSU1", maximum_draw=500, allocated_draw=600))[
        "allocated_draw"] == ["The allocated draw cannot exceed the maximum draw."]
    assert "already exists" in refused(RearPortTemplate(hardware_model=model, name="r1"))["name"][0]
    saved(RearPortTemplate(hardware_model=other, name="R1"))  # the same name on another model is fine


def test_new_device_gets_copies_audited(db: Any) -> None:
    model = server_model()
    device = f.device("dc1-esx-09", hardware_model=model)
    assert components(device) == {"interfaces": ["eth0", "eth1", "eth2", "eth3", "iDRAC"],
                                  "consoles": ["Serial"], "power": [("PSU1", 700), ("PSU2", 700)]}
    assert device.interfaces.get(name="iDRAC").type == "mgmt"
    created = AuditEntry.objects.filter(content_type__model="interface", action="create")
    assert created.count() == 5
    device.name = "dc1-esx-10"
    device.save()  # a change is not a new device: nothing copied again
    assert Interface.objects.filter(device=device).count() == 5


def test_patch_panel_front_ports_map_to_their_rear_ports(db: Any) -> None:
    model = f.hardware("MPO skydelis 12", u_height=1)
    trunk = saved(RearPortTemplate(hardware_model=model, name="R1", type="mpo", positions=12))
    for n in range(1, 13):
        saved(FrontPortTemplate(hardware_model=model, name=f"F{n}", type="lc", rear_port=trunk, rear_port_position=n))
    first, second = f.device("dc1-pp-01", hardware_model=model), f.device("dc1-pp-02", hardware_model=model)
    for device in (first, second):
        fronts = list(device.frontports.select_related("rear_port").order_by("rear_port_position"))
        assert [(p.name, p.rear_port_position) for p in fronts][:2] == [("F1", 1), ("F2", 2)]
        assert len(fronts) == 12 and {p.rear_port.device_id for p in fronts} == {device.pk}


def _create_queries(django_assert_max_num_queries: Any, make: Any) -> int:
    with django_assert_max_num_queries(200) as counted:
        make()
    return len(counted.captured_queries)


def test_copy_costs_the_same_queries_whatever_the_number_of_templates(
        db: Any, django_assert_max_num_queries: Any) -> None:
    small, large = server_model(interfaces=2), f.hardware("Nexus 93180YC-FX", u_height=1)
    for n in range(1, 49):
        saved(InterfaceTemplate(hardware_model=large, name=f"Ethernet1/{n}", type="25gbase-x-sfp28"))
    saved(InterfaceTemplate(hardware_model=large, name="mgmt0", type="mgmt"))
    saved(ConsolePortTemplate(hardware_model=large, name="console"))
    for n in (1, 2):
        saved(PowerPortTemplate(hardware_model=large, name=f"PSU{n}", maximum_draw=650))
    f.device("warm", hardware_model=small)  # the site, role and content types read once
    few = _create_queries(django_assert_max_num_queries, lambda: f.device("a", hardware_model=small))
    many = _create_queries(django_assert_max_num_queries, lambda: f.device("b", hardware_model=large))
    assert few == many
    assert Interface.objects.filter(device__name="b").count() == 49


def _device_values() -> dict:
    return {"site": f.site().pk, "role": f.role().pk, "status": "active"}


def test_copies_made_by_form_and_api(admin_client: Client) -> None:
    model = server_model()
    values = {"name": "dc1-esx-20", "hardware_model": model.pk, **_device_values()}
    response = admin_client.post("/inventory/devices/add/", values)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert components(Device.objects.get(name="dc1-esx-20"))["interfaces"] == ["eth0", "eth1", "eth2", "eth3",
                                                                                "iDRAC"]
    response = admin_client.post("/api/inventory/devices/", {**values, "name": "dc1-esx-21"},
                                 content_type="application/json")
    assert response.status_code == 201, response.content
    assert components(Device.objects.get(name="dc1-esx-21"))["power"] == [("PSU1", 700), ("PSU2", 700)]
    rows = [{**values, "name": f"dc1-esx-3{n}"} for n in range(3)]
    response = admin_client.post("/api/inventory/devices/", rows, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Interface.objects.filter(device__name__startswith="dc1-esx-3").count() == 15
    assert Interface.objects.filter(device__name="dc1-esx-20").count() == 5  # the list wrote no extra copies


def test_copies_made_by_import_in_constant_queries(admin_client: Client, django_assert_max_num_queries: Any) -> None:
    model = server_model()
    site, role = f.site(), f.role()

    def import_devices(names: list[str]) -> int:
        rows = [{"name": n, "hardware_model": model.name, "site": site.code, "role": role.name} for n in names]
        upload = io.BytesIO(json.dumps(rows).encode())
        upload.name = "devices.json"
        response = admin_client.post("/inventory/devices/import/", {"file": upload})
        assert response.status_code == 200
        upload_row = response.context["upload"]
        with django_assert_max_num_queries(400) as counted:
            response = admin_client.post("/inventory/devices/import/", {
                "upload": upload_row.pk, "digest": upload_row.digest, "confirm": "1"})
        assert response.status_code == 302
        return len(counted.captured_queries)

    one = import_devices(["dc2-esx-01"])
    ten = import_devices([f"dc2-esx-1{n}" for n in range(10)])
    assert one == ten
    assert Interface.objects.filter(device__name__startswith="dc2-esx-").count() == 55
    assert components(Device.objects.get(name="dc2-esx-15"))["consoles"] == ["Serial"]
