"""The Content-Security-Policy lets the pages work: the main pages, their scripts (htmx,
Bootstrap, the dependency map, the API's documentation) run and nothing is refused, while a
script injected into the markup is."""

import pytest

from irtis.inventory.models import Rack
from tests.browser.conftest import refusals
from tests.systems.factories import estate
from tests.systems.test_pages_api import spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_injected_inline_script_is_refused_and_reported(live_server: object, browser: object) -> None:
    context = browser.new_context(locale="lt-LT")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    injected = """document.body.insertAdjacentHTML("beforeend", '<img src="/nera.png" onerror="1">')"""
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text) as message:
        page.evaluate(injected)
    context.close()
    assert "inline event handler" in message.value.text


def test_main_pages_run_under_the_policy(live_server: object, signed_in: object) -> None:
    page = signed_in
    e = estate()
    rack = Rack.objects.get()
    refused = refusals(page)
    page.set_default_timeout(120_000)  # the API's description (all models) takes long on a busy machine
    pages = {
        "/": "nav", "/inventory/devices/": "table", e["ora_host"].get_absolute_url(): "#dependencies",
        rack.get_absolute_url(): "main", e["system"].get_absolute_url(): "#spof",
        f"/systems/map/?object={spec(e['system'])}": "#map canvas", "/audit/": "main",
        "/inventory/devices/import/": "main", "/search/?q=ora": "main",
        "/api/docs": "#swagger-ui .swagger-ui",  # put there by Swagger UI's scripts
    }
    for url, shown in pages.items():
        page.goto(f"{live_server.url}{url}")
        page.wait_for_selector(shown)  # drawn by the page's scripts where they draw it
        page.wait_for_load_state("networkidle")
    # htmx works: the device list's search filters in place.
    page.goto(f"{live_server.url}/inventory/devices/")
    page.fill("#filters [name=q]", "ora-1")
    page.press("#filters [name=q]", "Enter")
    page.wait_for_function("() => document.querySelectorAll('table tbody tr').length === 1")
    page.click("text=ora-1")
    page.wait_for_selector("h1:has-text('ora-1')")
    assert not refused, refused
