"""Pages speak Lithuanian unless the user chooses English, whatever the browser asks for."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_lithuanian_until_the_user_chooses(admin_user) -> None:  # type: ignore[no-untyped-def]
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    page = browser.get("/login/").content.decode()
    assert "Prisijungti" in page and 'value="en"' in page  # the switch is on the sign-in page
    chosen = browser.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert chosen.status_code == 302
    page = browser.get("/login/").content.decode()
    assert "Sign in" in page and 'value="lt"' in page
    browser.force_login(admin_user)
    assert "Sign out" in browser.get("/").content.decode()
    browser.post("/i18n/setlang/", {"language": "lt", "next": "/"})
    assert "Atsijungti" in browser.get("/").content.decode()


def test_a_language_the_site_does_not_speak_is_ignored() -> None:
    browser = Client()
    browser.cookies["django_language"] = "de"
    assert "Prisijungti" in browser.get("/login/").content.decode()


def test_an_api_client_may_ask_for_english(admin_client) -> None:  # type: ignore[no-untyped-def]
    english = admin_client.get("/api/inventory/sites/?kind=kosmodromas", HTTP_ACCEPT_LANGUAGE="en")
    lithuanian = admin_client.get("/api/inventory/sites/?kind=kosmodromas")
    assert english.status_code == lithuanian.status_code == 400
    assert english.content != lithuanian.content
