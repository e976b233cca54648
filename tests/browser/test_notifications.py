"""The bell: the unread count arrives after the page (htmx), the list marks read, the count goes."""

import pytest
from django.contrib.auth import get_user_model

from irtis.notifications import kinds
from irtis.notifications.events import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sl4ptas-Naršyklei!"


def test_bell_counts_and_the_list_marks_read(live_server: object, page: object, settings: object) -> None:
    settings.EMAIL_HOST = ""  # in irtis only
    user = get_user_model().objects.create_user("jonas", "jonas@muitine.lt", PASSWORD)
    for _ in range(2):
        notify(kinds.TEST.code, users=[user])  # counted on one row
    kinds.register("tests.backup_failed", "atsarginis kopijavimas nepavyko", subject="Nepavyko")
    notify("tests.backup_failed", users=[user])

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "jonas")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Prisijungti')")
    page.wait_for_selector("#bell #unread-count:has-text('2')")

    page.click("#bell")
    page.wait_for_selector("h1:has-text('Pranešimai')")
    assert "2 kartus" in page.locator(".list-group").inner_text()
    page.click("button:has-text('Pažymėti visus perskaitytais')")
    page.wait_for_selector("text=Visi pranešimai pažymėti perskaitytais.")
    page.wait_for_selector("#bell .bi-bell")
    assert page.locator("#unread-count").count() == 0
