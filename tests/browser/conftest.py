"""Headless Chromium from Debian's package, driven by Playwright (no browser download)."""

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from tests.support import debian

PASSWORD = "Sl4ptas-Narsyklei!"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One browser per module; while Playwright's event loop runs, Django must allow the ORM."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    chromium = debian.ensure("chromium", "chromium", "fonts-dejavu-core")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def refusals(page: object) -> list[str]:
    """What the Content-Security-Policy refused on the page from now on (Chromium reports each
    refusal on the console), filled as the page runs."""
    refused: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    return refused


class InFlight:
    """The page's requests not yet answered, counted from its events: waiting until there are
    none is what Playwright's "networkidle" does, without its half second of quiet per wait."""

    def __init__(self, page: object) -> None:
        self.page, self.open = page, 0
        page.on("request", lambda _: self._count(1))
        for done in ("requestfinished", "requestfailed"):
            page.on(done, lambda _: self._count(-1))

    def _count(self, step: int) -> None:
        self.open += step

    def settle(self) -> None:
        """Return once no request has been open for two looks 50 ms apart (an answer may
        start another, as htmx panels do)."""
        quiet = 0
        while quiet < 2:
            self.page.wait_for_timeout(50)  # also lets Playwright deliver the events
            quiet = quiet + 1 if self.open == 0 else 0


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A page whose test fails if the Content-Security-Policy refuses anything on it."""
    context = browser.new_context(locale="lt-LT", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    refused = refusals(page)
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture
def signed_in(live_server: object, page: object, settings: object) -> Iterator[object]:
    """The page, signed in through the sign-in form as a new administrator (no second factor)."""
    settings.IRTIS_MFA_ENFORCED = False
    get_user_model().objects.create_superuser("narsykle", "narsykle@muitine.lt", PASSWORD)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "narsykle")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Prisijungti')")
    page.wait_for_selector("nav")
    yield page
