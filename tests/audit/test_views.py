"""The audit trail page: only entitled users, filters, diffs, and every reading recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from irtis.audit.models import Action, AuditEntry
from irtis.identity.models import ObjectPermission
from irtis.inventory.models import Site

URL = "/audit/"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("jonas", "jonas@example.lt", "Sl4ptas-Jonas!")


def test_anonymous_is_sent_to_sign_in(client, db) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_user_without_permission_is_refused(client, user) -> None:
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.AUDIT_READ).exists()


def test_a_django_model_permission_grants_nothing(client, user) -> None:
    """Every right is an object permission; Django's own (auth_permission) are not read."""
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry", content_type__app_label="audit"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_auditor_with_view_permission_reads_and_is_recorded(client, user, make_sites) -> None:
    make_sites(3)
    permission = ObjectPermission.objects.create(name="audit", actions=["view"])
    permission.object_types.add(ContentType.objects.get_for_model(AuditEntry))
    permission.users.add(user)
    client.force_login(user)
    response = client.get(URL, {"action": "create"})
    assert response.status_code == 200
    assert "S2 Vieta 2" in response.content.decode()
    read = AuditEntry.objects.filter(action=Action.AUDIT_READ).get()
    assert read.actor_name == "jonas" and read.after["filters"] == {"action": ["create"]}


def test_filters_and_diff(admin_client, make_sites) -> None:
    make_sites(2)
    site = Site.objects.get(code="S1")
    site.name = "Pervadinta vieta"
    site.save()
    site_type = ContentType.objects.get_for_model(Site)
    response = admin_client.get(
        URL,
        {
            "content_type": site_type.pk,
            "object_id": site.pk,
            "action": "update",
            "source": "system",
            "time_after": "2000-01-01",
            "time_before": "2999-12-31",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pervadinta vieta" in html and "Vieta 1" in html  # after and before, side by side
    assert "S0 Vieta 0" not in html
    response = admin_client.get(URL, {"actor": "nobody-like-this"})
    assert "S1" not in response.content.decode().split("<tbody>")[1]


def test_pagination(admin_client, make_sites) -> None:
    make_sites(55)
    first = admin_client.get(URL, {"action": "create"}).content.decode()
    second = admin_client.get(URL, {"action": "create", "page": 2}).content.decode()
    assert "S54 Vieta 54" in first and "S54 Vieta 54" not in second
    assert "S0 Vieta 0" in second and "page=2" in first
    assert AuditEntry.objects.filter(action=Action.AUDIT_READ).count() == 2


def test_changes_read_as_people_read_them(admin_client, make_sites) -> None:
    """A related object by its name (by its id once deleted), a choice by its label, yes or no;
    the page's filters stay out of the global search box."""
    from django.utils import translation

    from irtis.inventory.models import Location

    make_sites(3)
    first, second, gone = (Site.objects.get(code=code) for code in ("S1", "S2", "S0"))
    room = Location.objects.create(site=first, code="L1", name="Komutacinė", kind=Location.Kind.ROOM)
    room.site, room.kind = second, Location.Kind.CAGE
    room.save()
    moved = Location.objects.create(site=gone, code="L2", name="Sandėlis")
    moved.site = first
    moved.save()
    Location.objects.filter(site=gone).delete()
    gone_pk = gone.pk
    gone.delete()
    kind = ContentType.objects.get_for_model(Location).pk
    response = admin_client.get(URL, {"action": "update", "content_type": kind})
    html = response.content.decode()
    with translation.override("lt"):
        room_label, cage_label = str(Location.Kind.ROOM.label), str(Location.Kind.CAGE.label)
    assert "S1 Vieta 1" in html and "S2 Vieta 2" in html and f"#{gone_pk}" in html
    assert room_label in html and cage_label in html and '"cage"' not in html
    assert 'name="q" placeholder="Ieškoti visur"' in html and 'value="action=update' not in html


def test_times_changed_show_in_the_readers_time_zone(db, settings) -> None:
    """A time stored in UTC (a schedule's next run) reads in Vilnius time, in the page's format."""
    from types import SimpleNamespace

    from django.utils import timezone, translation

    from irtis.core.templatetags.irtis import diff
    from irtis.tasks.models import Schedule

    settings.TIME_ZONE = "Europe/Vilnius"
    kind = ContentType.objects.get_for_model(Schedule)
    change = SimpleNamespace(content_type_id=kind.pk, content_type=kind,
                             before={"next_run": "2026-12-05T20:15:00.000000Z", "enabled": True},
                             after={"next_run": "2026-12-06T00:15:00+00:00", "enabled": False})
    with translation.override("lt"), timezone.override("Europe/Vilnius"):
        rows = dict((label, (old, new)) for label, old, new in diff(change))
    assert rows["kitas vykdymas"] == ("2026-12-05 22:15", "2026-12-06 02:15")
    assert rows["įjungta"] == ("taip", "ne")
