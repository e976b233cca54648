"""A device's detail page on the demo estate: its reverse relations (interfaces, IP addresses)
counted, expanded in the browser, and paged ten at a time.

A transactional test (the server must see what it writes): it runs last in the package, as its
flush empties the demo (tests/demo/conftest.py)."""

import math

import pytest
from django.db.models import Count
from django.utils import translation

from irtis.core.bulk import save_objects
from irtis.core.views import RelatedView
from irtis.inventory.models import Device, Interface
from irtis.network.models import IPAddress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOWN = "words => document.querySelector('#related details[open] .related-rows').innerText.includes(words)"


def panel(page: object, model: type, field: str) -> object:
    with translation.override("lt"):
        title = str(model._meta.verbose_name_plural).capitalize()
        via = str(model._meta.get_field(field).verbose_name)
    return page.locator(f"#related details:has(summary:has-text('{title}'):has-text('({via})'))")


def test_a_device_lists_its_interfaces_and_addresses_in_pages(live_server: object, signed_in: object) -> None:
    page = signed_in
    device = Device.objects.annotate(n=Count("interfaces")).order_by("-n", "name").first()
    # More than a page of them: the demo's busiest device gets a few more ports.
    save_objects([Interface(device=device, name=f"extra{n}") for n in range(RelatedView.PER_PAGE + 3)])
    interfaces = Interface.objects.filter(device=device).count()
    page.goto(f"{live_server.url}{device.get_absolute_url()}")

    ports = panel(page, Interface, "device")
    assert ports.locator(".badge").inner_text() == str(interfaces)
    ports.locator("summary").click()
    rows = ports.locator(".related-rows tbody tr")
    rows.first.wait_for()
    assert rows.count() == RelatedView.PER_PAGE
    first_page = rows.all_inner_texts()
    pages = math.ceil(interfaces / RelatedView.PER_PAGE)
    assert f"1 puslapis iš {pages}" in ports.inner_text()
    ports.locator("a:has-text('Kitas')").click()
    page.wait_for_function(SHOWN, arg=f"2 puslapis iš {pages}")
    second_page = ports.locator(".related-rows tbody tr").all_inner_texts()
    assert len(second_page) == min(RelatedView.PER_PAGE, interfaces - RelatedView.PER_PAGE)
    assert not set(first_page) & set(second_page)

    # Its addresses sit on its interfaces: twelve on one, two pages in the interface's panel.
    port = Interface.objects.filter(device=device).order_by("name").first()
    for n in range(1, 13):
        IPAddress(address=f"192.0.2.{n}/24", interface=port).save()
    page.goto(f"{live_server.url}{port.get_absolute_url()}")
    addresses = panel(page, IPAddress, "interface")
    assert addresses.locator(".badge").inner_text() == "12"
    addresses.locator("summary").click()
    addresses.locator(".related-rows tbody tr").first.wait_for()
    assert addresses.locator(".related-rows tbody tr").count() == RelatedView.PER_PAGE
    addresses.locator("a:has-text('Kitas')").click()
    page.wait_for_function(SHOWN, arg="2 puslapis iš 2")
    assert addresses.locator(".related-rows tbody tr").count() == 2
