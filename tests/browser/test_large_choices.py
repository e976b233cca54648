"""Choosing related objects among thousands, with the keyboard: a deployment of one of 1,000
components on one of 1,000 virtual machines, and an IP address attached to one of the
interfaces of one of 1,000 devices; and selects that follow each other (site → location → rack)."""

import pytest

from irtis.core.bulk import save_objects
from irtis.inventory.models import Device, Interface, Location, Rack, Site
from irtis.network.models import IPAddress
from irtis.systems.models import Component, Dependency, Deployment, ImportanceCategory, InformationSystem
from irtis.virtualization.models import VirtualMachine
from tests.inventory import factories
from tests.virtualization.factories import cluster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 1000
SETTLED = "() => !document.querySelector('select[data-asked]')"


def thousands() -> None:
    """1,000 devices with an interface each (srv-0500 has three), 1,000 virtual machines and
    1,000 components, written like an import: bulk SQL, audited and indexed for search."""
    dc1 = factories.site("DC1")
    role, model = factories.role(), factories.hardware()
    devices = [Device(name=f"srv-{n:04d}", role=role, hardware_model=model, site=dc1) for n in range(ROWS)]
    save_objects(devices)
    save_objects([Interface(device=d, name="eth0") for d in devices]
                 + [Interface(device=devices[500], name=name) for name in ("eth1", "ilo")])
    on = cluster("CL-1", site=dc1)
    save_objects([VirtualMachine(name=f"vm-{n:04d}", cluster=on, vcpus=2, memory_mb=4096) for n in range(ROWS)])
    category = ImportanceCategory.objects.create(code="I", name="Ypatingos svarbos", rank=1)
    system = InformationSystem.objects.create(code="MDAS", name="Deklaracijų sistema", category=category)
    save_objects([Component(system=system, kind="application", name=f"Komponentas {n:04d}") for n in range(ROWS)])


def search(page: object, field: str, words: str) -> object:
    """Type into the search box of `field`; the matches shown."""
    page.fill(f'.lookup[data-lookup-for="id_{field}"] input', words)
    matches = page.locator(f"#id_{field}-matches [data-lookup-value]")
    matches.first.wait_for()
    return matches


def test_deployment_and_ip_address_among_thousands(live_server: object, signed_in: object) -> None:
    thousands()
    page = signed_in
    assert Interface.objects.count() > ROWS and Component.objects.count() == ROWS

    page.goto(f"{live_server.url}/systems/deployments/add/")
    assert page.locator("#id_component option").count() == 1  # only the empty choice is rendered
    assert search(page, "component", "komponentas 0777").count() == 1
    page.keyboard.press("Enter")
    page.fill('.lookup[data-lookup-for="id_virtual_machine"] input', "vm-07")
    page.wait_for_selector("#id_virtual_machine-matches :text('Rasta daugiau')")
    assert page.locator("#id_virtual_machine-matches [data-lookup-value]").count() == 20
    search(page, "virtual_machine", "VM-0777")
    page.wait_for_function("() => document.querySelectorAll('#id_virtual_machine-matches [data-lookup-value]')"
                           ".length == 1")
    page.click("#id_virtual_machine-matches :text('vm-0777')")
    page.click("button:has-text('Išsaugoti')")
    page.wait_for_selector("text=Išsaugota")
    deployment = Deployment.objects.get()
    assert (deployment.component.name, deployment.virtual_machine.name) == ("Komponentas 0777", "vm-0777")

    page.goto(f"{live_server.url}/network/ip-addresses/add/")
    page.fill("#id_address", "10.1.2.3/24")
    search(page, "device", "srv-0500")
    page.keyboard.press("Enter")
    page.wait_for_function(SETTLED)
    # With no words, the box lists the chosen device's interfaces; the arrows move, Enter picks.
    page.focus('.lookup[data-lookup-for="id_interface"] input')
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#id_interface-matches [data-lookup-value]")
    assert page.locator("#id_interface-matches [data-lookup-value]").all_inner_texts() == [
        "srv-0500 eth0", "srv-0500 eth1", "srv-0500 ilo"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_interface option:checked").inner_text() == "srv-0500 eth1"
    # Another device: the interface of the first no longer fits and is dropped.
    search(page, "device", "srv-0501")
    page.keyboard.press("Enter")
    page.wait_for_function(SETTLED)
    assert page.input_value("#id_interface") == ""
    assert search(page, "interface", "eth").all_inner_texts() == ["srv-0501 eth0"]
    page.keyboard.press("Escape")
    search(page, "device", "srv-0500")
    page.keyboard.press("Enter")
    page.wait_for_function(SETTLED)
    search(page, "interface", "eth1")
    page.keyboard.press("Enter")
    page.click("button:has-text('Išsaugoti')")
    page.wait_for_selector("text=Išsaugota")
    address = IPAddress.objects.get(address="10.1.2.3/24")
    assert str(address.interface) == "srv-0500 eth1"


def test_site_location_rack_follow_each_other(live_server: object, signed_in: object) -> None:
    dc1, dc2 = factories.site("DC1"), factories.site("DC2")
    room1 = Location.objects.create(site=dc1, code="L1", name="Serverinė 1")
    room2 = Location.objects.create(site=dc2, code="L2", name="Serverinė 2")
    Rack.objects.create(site=dc1, location=room1, name="R1")
    in_room = Rack.objects.create(site=dc2, location=room2, name="R2")
    Rack.objects.create(site=dc2, name="R3")  # no location: fits any location at DC2
    page = signed_in

    def choices(field: str) -> list[str]:
        page.wait_for_function(SETTLED)
        return page.locator(f"#id_{field} option:not([value=''])").all_inner_texts()

    page.goto(f"{live_server.url}/inventory/devices/add/")
    assert choices("rack") == ["R1", "R2", "R3"]
    page.select_option("#id_site", str(dc2.pk))
    assert choices("location") == ["Serverinė 2"] and choices("rack") == ["R2", "R3"]
    page.select_option("#id_location", str(room2.pk))
    assert choices("rack") == ["R2", "R3"]
    page.select_option("#id_rack", str(in_room.pk))
    page.select_option("#id_site", str(dc1.pk))  # the location and the rack at DC2 no longer fit
    assert choices("location") == ["Serverinė 1"] and choices("rack") == ["R1"]
    assert page.input_value("#id_location") == "" and page.input_value("#id_rack") == ""
    assert Site.objects.count() == 2


def test_a_dependency_between_objects_chosen_by_kind_and_name(live_server: object, signed_in: object) -> None:
    """Each end of a dependency: pick the kind, then search the object by name among thousands;
    changing the kind empties the choice made under the former one."""
    thousands()
    page = signed_in
    page.goto(f"{live_server.url}/systems/dependencies/add/")
    assert page.locator("#id_source_id option[value]:not([value=''])").count() == 0
    kinds = page.locator("#id_source_type option").all_inner_texts()
    assert "Informacinė sistema" in kinds and "Įrenginys" in kinds and "Turinio tipas" not in " ".join(kinds)
    page.select_option("#id_source_type", label="Įrenginys")
    search(page, "source_id", "srv-0123")
    page.keyboard.press("Enter")
    assert page.locator("#id_source_id option:checked").inner_text() == "srv-0123"
    page.select_option("#id_source_type", label="Informacinė sistema")  # another kind: the device is gone
    assert page.input_value("#id_source_id") == ""
    search(page, "source_id", "MDAS")
    page.keyboard.press("Enter")
    page.select_option("#id_target_type", label="Virtualioji mašina")
    search(page, "target_id", "vm-0777")
    page.keyboard.press("Enter")
    page.click("button:has-text('Išsaugoti')")
    page.wait_for_selector("text=Išsaugota")
    dependency = Dependency.objects.get()
    assert (str(dependency.source), str(dependency.target)) == ("MDAS Deklaracijų sistema", "vm-0777")
