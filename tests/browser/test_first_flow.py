"""A new user's first minutes: sign in, open a list, create a site, edit it, see the history."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from irtis.identity import roles
from irtis.inventory.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sl4ptas-Naršyklei!"


def test_sign_in_list_create_edit_history(live_server: object, page: object) -> None:
    roles.sync()
    user = get_user_model().objects.create_user("jonas", "jonas@muitine.lt", PASSWORD)
    user.groups.add(Group.objects.get(name="infra_admin"))  # an administrator without MFA duty
    Site.objects.create(code="MED", name="Medininkų PKP", kind=Site.Kind.ROAD_BCP)

    page.goto(f"{live_server.url}/inventory/sites/")
    page.fill("#id_username", "jonas")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Prisijungti')")
    page.wait_for_selector("h1:has-text('Vietos')")
    assert page.locator("table tbody tr").count() == 1

    page.click("a:has-text('Pridėti')")
    page.fill("#id_code", "SAL")
    page.fill("#id_name", "Šalčininkų PKP")
    page.select_option("#id_kind", "road_bcp")
    page.click("button:has-text('Išsaugoti')")
    page.wait_for_selector("h1:has-text('SAL Šalčininkų PKP')")

    page.click("a:has-text('Redaguoti')")
    page.fill("#id_city", "Šalčininkai")
    page.click("button:has-text('Išsaugoti')")
    page.wait_for_selector("text=Išsaugota")
    history = page.locator("#history")
    assert "atnaujinta" in history.inner_text()
    assert "Šalčininkai" in history.inner_text()
    assert "sukurta" in history.inner_text()

    # The list filters in place (htmx) and finds the new site without diacritics.
    page.goto(f"{live_server.url}/inventory/sites/")
    page.fill("#id_q", "salcinink")
    page.press("#id_q", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "Šalčininkų" in page.locator("#results").inner_text()
