"""The roles' pages: who holds each role and what its permissions grant, read by those who may
read access itself, in a number of queries that does not grow with members or grants."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from irtis.databases.models import Database
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Site

from .access import role_user

pytestmark = pytest.mark.django_db


def _row(page: str, label: str) -> list[str]:
    """The cells (●, ◐ or empty) of the matrix row of the model whose list is `label`."""
    row = re.search(rf'<tr><td><a href="[^"]+">{label}</a></td>(.*?)</tr>', page, re.S)
    assert row, label
    return [c.strip() for c in re.findall(r'<td class="text-center">(.*?)</td>', row.group(1))]


def test_the_auditor_reads_every_role_and_what_it_grants(client):
    auditor = role_user("auditor")
    dba = role_user("dba")
    client.force_login(auditor)
    listing = client.get(reverse("roles:list")).content.decode()
    assert "Duomenų bazių administratorius" in listing  # labels in Lithuanian
    group = Group.objects.get(name="dba")
    assert reverse("roles:detail", args=[group.pk]) in listing
    page = client.get(reverse("roles:detail", args=[group.pk])).content.decode()
    assert dba.get_absolute_url() in page and "role:dba:write" in page
    # the DBA changes databases and only reads sites: view add change delete import export
    assert _row(page, "Duomenų bazės") == ["●"] * 6
    assert _row(page, "Vietos") == ["●", "", "", "", "", "●"]


def test_a_constrained_or_disabled_permission_shows_as_such(client):
    client.force_login(role_user("auditor"))
    group = Group.objects.create(name="med_admins")
    perm = ObjectPermission.objects.create(name="med", actions=["view", "change"],
                                           constraints={"code": "MED"})
    perm.groups.add(group)
    perm.object_types.add(ContentType.objects.get_for_model(Site))
    off = ObjectPermission.objects.create(name="off", actions=["delete"], enabled=False)
    off.groups.add(group)
    off.object_types.add(ContentType.objects.get_for_model(Database))
    page = client.get(reverse("roles:detail", args=[group.pk])).content.decode()
    assert _row(page, "Vietos") == ["◐", "", "◐", "", "", ""]
    assert "Duomenų bazės</a>" not in page.split('id="grants"')[1]  # a disabled one grants nothing
    assert "med_admins" in client.get(reverse("roles:list")).content.decode()


def test_only_readers_of_access_open_them(client):
    group = Group.objects.get(name="dba")
    anonymous = client.get(reverse("roles:list"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.force_login(role_user("dba"))
    assert client.get(reverse("roles:list")).status_code == 403
    assert client.get(reverse("roles:detail", args=[group.pk])).status_code == 403
    assert reverse("roles:list") not in client.get("/").content.decode()  # nor in the menu
    client.force_login(role_user("irtis_admin"))
    assert reverse("roles:list") in client.get("/").content.decode()
    assert client.get(reverse("roles:detail", args=[99999])).status_code == 404


def test_queries_do_not_grow_with_members_and_grants(client):
    client.force_login(role_user("auditor"))
    group = Group.objects.get(name="network_admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("roles:detail", args=[group.pk])).status_code == 200
            assert client.get(reverse("roles:list")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        User.objects.create_user(f"net{n}").groups.add(group)
        extra = ObjectPermission.objects.create(name=f"extra{n}", actions=["view"])
        extra.groups.add(group)
        extra.object_types.add(ContentType.objects.get_for_model(Site))
    assert queries() == few
