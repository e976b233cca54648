"""The menu: what each user may open, in the user's language, rendered once per set of rights."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from irtis.core import navigation
from irtis.identity.models import User
from tests.identity.access import role_user


def _menu(client: Client) -> str:
    page = client.get(reverse("home")).content.decode()
    return page[page.index('<ul class="navbar-nav'):page.index('<div class="d-flex align-items-center')]


def test_the_menu_follows_permissions_and_language(db) -> None:
    client, other = Client(), Client()
    client.force_login(dba := role_user("dba"))
    databases, roles = reverse("databases:database_list"), reverse("roles:list")
    menu = _menu(client)
    assert databases in menu and roles not in menu and ">Duomenų bazės<" in menu
    other.force_login(User.objects.create_user("be_roliu", password=None))
    assert databases not in _menu(other) and "Čia nėra nieko, ką galėtumėte atverti." in _menu(other)
    dba.groups.add(Group.objects.get(name="irtis_admin"))  # the next request's menu has its items
    assert roles in _menu(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Databases<" in _menu(client)


def test_users_of_the_same_roles_share_one_rendering(db) -> None:
    navigation._rendered.cache_clear()
    for name in ("tinklas1", "tinklas2", "tinklas3"):
        user = User.objects.create_user(name, password=None)
        user.groups.add(Group.objects.get(name="network_admin"))
        client = Client()
        client.force_login(user)
        assert reverse("network:prefix_list") in _menu(client)
    assert (navigation._rendered.cache_info().misses, navigation._rendered.cache_info().hits) == (1, 2)


def test_a_link_whose_permission_names_no_right_fails_loudly() -> None:
    """Such a link would be shown to everyone: the menu refuses to be made with it."""
    with pytest.raises(ValueError, match="read_auditentry"):
        navigation.Link("Blogas", "irtis.bad", "audit.read_auditentry")
    items = [item for _, _, group in navigation._items("lt") for item in group]
    trail = next(item for item in items if item.url == reverse("audit:trail"))
    assert trail.right == ("audit.auditentry", "view")
