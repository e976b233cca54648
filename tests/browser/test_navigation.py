"""The administrator's menu (the longest) fits common screen widths: from the narrowest width
that shows it expanded, the page does not scroll sideways and the user's menu (signing out)
stays on the screen; below that width the menu folds behind its button."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_menu_is_on_the_screen_at_every_width(live_server: object, signed_in: object) -> None:
    page = signed_in
    for width in (1200, 1280, 1366, 1920):  # Bootstrap's xl breakpoint: the menu expanded from 1200
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        user_menu = page.locator("nav .dropdown-toggle:has(.bi-person)").bounding_box()
        assert user_menu and user_menu["x"] + user_menu["width"] <= width, (width, user_menu)
    page.set_viewport_size({"width": 1199, "height": 800})
    page.goto(f"{live_server.url}/")
    assert page.locator(".navbar-toggler").is_visible() and not page.locator("#mainnav").is_visible()
