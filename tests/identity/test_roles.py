"""Roles and permissions: the roles the division works in (each role's walk over every model:
`test_role_walk.py`); constraints hide objects everywhere; changes of roles and permissions
are audited."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.core import permissions, registry
from irtis.core.pages import restricted_search
from irtis.core.views import related_lists
from irtis.identity import roles, tokens
from irtis.identity.models import ObjectPermission, User
from irtis.identity.roles import IDENTITY
from irtis.inventory.models import Location, Site

from .access import ROLE_CODES, configured, role_user


def test_roles_exist_with_stable_codes(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_CODES)
    assert roles.sync() == []  # migrate already ran it: nothing left to change


def test_sync_restores_managed_permissions_but_keeps_them_disabled(db):
    perm = ObjectPermission.objects.get(name="role:network_admin:read")
    perm.actions = ["view", "delete"]
    perm.enabled = False
    perm.save()
    call_command("roles", "sync", stdout=open("/dev/null", "w"))
    perm.refresh_from_db()
    assert perm.actions == ["view", "export"] and perm.enabled is False


def test_default_grants_follow_the_division(db):
    grants = {code: configured(Group.objects.get(name=code)) for code in ROLE_CODES}
    everything = {e.label for e in registry.entries()} - set(IDENTITY)
    for code, models in grants.items():
        assert everything <= {label for label, acts in models.items() if "view" in acts}, code
    readers = {code for code, models in grants.items() if "identity.objectpermission" in models}
    assert readers == {"auditor", "irtis_admin"}
    assert all(acts <= {"view", "export"} for acts in grants["auditor"].values())
    # The head of the division reads everything, runs projects (statute 2.17) and tracks the
    # recommendations of management reports (2.21).
    assert all(acts <= {"view", "export"} for label, acts in grants["manager"].items()
               if not label.startswith(("projects.", "reports.")))
    assert "change" in grants["manager"]["projects.project"]
    assert "change" in grants["manager"]["reports.recommendation"]
    assert (
        "audit.auditentry" in grants["auditor"] and "audit.auditentry" in grants["security_officer"]
    )
    assert "audit.auditentry" not in grants["network_admin"]
    assert "change" in grants["infra_admin"]["inventory.site"]
    assert "change" not in grants["network_admin"]["inventory.site"]
    # Writes follow the work, wherever the menu lists its models.
    assert "change" in grants["dba"]["databases.database"] and "add" in grants["dba"]["databases.dbmsinstance"]
    assert "change" in grants["directory_admin"]["directory.domaincontroller"]
    assert "change" in grants["network_admin"]["flows.firewallrule"]
    assert "change" not in grants["dba"]["inventory.device"]
    assert "change" in grants["irtis_admin"]["identity.objectpermission"]


# --- constraints ------------------------------------------------------------------------------


@pytest.fixture
def estate(db):
    sites = {
        c: Site.objects.create(code=c, name=f"Vieta {c}", kind="customs_post")
        for c in ("MED", "SAL", "VLN")
    }
    for c, site in sites.items():
        Location.objects.create(site=site, code=f"{c}-A1", name=f"Patalpa {c} A1")
        Location.objects.create(site=site, code=f"{c}-B1", name=f"Patalpa {c} B1")
    return sites


def grant(
    user: User, model: type, actions: list[str], constraints: object = None, name: str = ""
) -> ObjectPermission:
    perm = ObjectPermission.objects.create(
        name=name or f"{user.username}:{model._meta.model_name}:{'-'.join(actions)}",
        actions=actions,
        constraints=constraints,
    )
    perm.users.add(user)
    perm.object_types.add(ContentType.objects.get_for_model(model))
    return perm


@pytest.fixture
def border(estate):
    user = User.objects.create_user("pasienis")
    grant(user, Site, ["view", "export", "change"], {"code__in": ["MED", "SAL"]})
    grant(
        user,
        Location,
        ["view", "export"],
        [{"site__code": "MED", "code__endswith": "A1"}, {"site__code": "SAL"}],
    )
    client = Client()
    client.force_login(user)
    _, plain = tokens.issue(user)
    return user, client, Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_constrained_object_is_not_found_by_id(estate, border):
    _user, ui, api = border
    vln = estate["VLN"]
    assert ui.get(reverse("inventory:site_detail", args=[vln.pk])).status_code == 404
    assert ui.get(reverse("inventory:site_edit", args=[vln.pk])).status_code == 404
    assert ui.get(reverse("inventory:site_detail", args=[estate["MED"].pk])).status_code == 200
    assert api.get(f"/api/inventory/sites/{vln.pk}/").status_code == 404
    assert (
        api.patch(
            f"/api/inventory/sites/{vln.pk}/", '{"name": "X"}', content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        api.patch(
            f"/api/inventory/sites/{estate['MED'].pk}/",
            '{"name": "Medininkai"}',
            content_type="application/json",
        ).status_code
        == 200
    )
    assert api.delete(f"/api/inventory/sites/{estate['MED'].pk}/").status_code == 403


def test_constrained_objects_absent_from_lists_search_export_and_counts(estate, border):
    user, ui, api = border
    page = ui.get(reverse("inventory:site_list")).content.decode()
    assert "MED" in page and "SAL" in page and "VLN" not in page
    codes = {r["code"] for r in api.get("/api/inventory/sites/").json()["results"]}
    assert codes == {"MED", "SAL"}
    locations = {
        r["code"] for r in api.get("/api/inventory/locations/?limit=100").json()["results"]
    }
    assert locations == {"MED-A1", "SAL-A1", "SAL-B1"}
    export = ui.get(reverse("inventory:site_export") + "?format=csv").content.decode()
    assert "MED" in export and "VLN" not in export
    found = {row.title for _e, rows, _n in restricted_search("Vieta", user) for row in rows}
    assert found == {"MED Vieta MED", "SAL Vieta SAL"}
    assert restricted_search("VLN", user) == []
    assert ui.get(reverse("search") + "?q=VLN").context["results"] == []
    counts = {relation.entry.label: n for relation, n in related_lists(estate["MED"], user)}
    assert counts["inventory.location"] == 1  # MED-B1 is outside the location constraint


def test_superuser_sees_everything(estate, admin_user):
    assert permissions.restrict(Site.objects.all(), admin_user).count() == 3
    assert permissions.constraint(admin_user, Site, "view") is None


def test_unconstrained_permission_wins_over_constrained(estate):
    user = User.objects.create_user("abu")
    grant(user, Site, ["view"], {"code": "MED"}, name="one")
    assert permissions.restrict(Site.objects.all(), user).count() == 1
    grant(user, Site, ["view"], None, name="all")
    permissions.forget(user)
    assert permissions.restrict(Site.objects.all(), user).count() == 3


def test_invalid_constraint_gives_no_access_and_is_logged(estate, caplog):
    user = User.objects.create_user("blogas")
    grant(user, Site, ["view"], {"no_such_field": 1})
    with caplog.at_level(logging.WARNING, logger="irtis.core.permissions"):
        assert permissions.restrict(Site.objects.all(), user).count() == 0
        assert not permissions.has(user, Site, "view")
    assert "no_such_field" in caplog.text


def test_disabled_permission_grants_nothing(estate):
    user = User.objects.create_user("isjungtas")
    perm = grant(user, Site, ["view"])
    perm.enabled = False
    perm.save()
    assert not permissions.has(user, Site, "view")


def test_user_placeholder_in_constraints(db):
    user = User.objects.create_user("savas")
    other = User.objects.create_user("kitas")
    grant(user, User, ["view"], {"pk": "$user"})
    assert list(permissions.restrict(User.objects.all(), user)) == [user]
    assert other not in permissions.restrict(User.objects.all(), user)


def test_permissions_read_once_per_user_object(estate, django_assert_num_queries):
    user = User.objects.create_user("greitas")
    grant(user, Site, ["view"], {"code": "MED"})
    user = User.objects.get(pk=user.pk)
    entry = registry.entry_for(Site)
    with django_assert_num_queries(3):  # the version, the permissions, their types
        for _ in range(100):
            for action in permissions.ACTIONS:
                permissions.allowed(user, entry, action)
            permissions.restrict(Site.objects.all(), user)
    later = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):  # the next request: the version only
        assert permissions.has(later, Site, "view")


def _next_request(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_kept_permissions_follow_every_change_to_what_grants_them(estate):
    """Every way a grant changes, the ORM's and around it, is seen by the user's next request."""
    user = User.objects.create_user("keiciamas")
    role = Group.objects.create(name="vietos")
    perm = grant(user, Site, ["view"])
    assert permissions.has(_next_request(user), Site, "view")
    changes = [  # (change, may the user then view sites, change sites)
        (lambda: perm.users.remove(user), False, False),
        (lambda: perm.groups.add(role), False, False),
        (lambda: user.groups.add(role), True, False),
        (lambda: ObjectPermission.objects.filter(pk=perm.pk).update(actions=["view", "change"]), True, True),
        (lambda: ObjectPermission.objects.filter(pk=perm.pk).update(enabled=False), False, False),
        (lambda: ObjectPermission.objects.filter(pk=perm.pk).update(enabled=True), True, True),
        (lambda: perm.object_types.clear(), False, False),
        (lambda: perm.object_types.add(ContentType.objects.get_for_model(Site)), True, True),
        (lambda: User.groups.through.objects.filter(user=user).delete(), False, False),
        (lambda: User.groups.through.objects.bulk_create(
            [User.groups.through(user=user, group=role)]), True, True),
        (lambda: role.delete(), False, False),
        (lambda: perm.users.add(user), True, True),
        (lambda: perm.delete(), False, False),
    ]
    for number, (change, view, edit) in enumerate(changes):
        change()
        later = _next_request(user)
        assert (permissions.has(later, Site, "view"), permissions.has(later, Site, "change")) == (
            view, edit), number


def test_kept_permissions_of_a_rolled_back_change_are_not_used(estate):
    user = User.objects.create_user("atsauktas")
    assert not permissions.has(_next_request(user), Site, "view")
    with pytest.raises(RuntimeError), transaction.atomic():
        grant(user, Site, ["view"])
        assert permissions.has(_next_request(user), Site, "view")
        raise RuntimeError
    assert not permissions.has(_next_request(user), Site, "view")
    grant(user, Site, ["view", "change"])
    assert permissions.has(_next_request(user), Site, "change")


def test_check_objects_for_imports(estate):
    user = User.objects.create_user("importuotojas")
    grant(user, Site, ["import"], {"code__in": ["MED", "SAL"]})
    fine, outside = (
        Site(code="MED2", name="x", kind="seaport"),
        Site(code="VLN", name="x", kind="seaport"),
    )
    fine.code = "SAL"
    errors = permissions.check_objects(
        user, [fine, outside, estate["MED"], estate["VLN"]], "import"
    )
    assert [i for i, _msg in errors] == [1, 3]
    nobody = User.objects.create_user("niekas")
    assert len(permissions.check_objects(nobody, [estate["MED"]], "import")) == 1
    grant(user, Location, ["import"], {"site__code__in": ["MED"]})
    permissions.forget(user)  # permissions are read once per user object (i.e. per request)
    located = [Location(site=estate["MED"], code="n1"), Location(site=estate["VLN"], code="n2")]
    assert [i for i, _m in permissions.check_objects(user, located, "import")] == [1]


def test_has_perm_answers_from_object_permissions(db):
    auditor = role_user("auditor")
    network = role_user("network_admin")
    assert auditor.has_perm("audit.view_auditentry")
    assert not network.has_perm("audit.view_auditentry")
    assert not auditor.has_perm("inventory.change_site")
    assert "audit.view_auditentry" in auditor.get_all_permissions()


# --- audit of role and permission changes -----------------------------------------------------


def test_role_changes_are_audited(db):
    user = User.objects.create_user("jonas")
    user.groups.add(Group.objects.get(name="dba"))
    user.groups.add(Group.objects.get(name="auditor"))
    user.groups.remove(Group.objects.get(name="dba"))
    Group.objects.get(name="manager").user_set.add(user)
    user.groups.clear()
    entries = list(
        AuditEntry.objects.filter(action=Action.ROLE_CHANGED, object_repr="jonas").order_by("id")
    )
    assert [(e.before["roles"], e.after["roles"]) for e in entries] == [
        ([], ["dba"]),
        (["dba"], ["auditor", "dba"]),
        (["auditor", "dba"], ["auditor"]),
        (["auditor"], ["auditor", "manager"]),
        (["auditor", "manager"], []),
    ]


def test_permission_changes_are_audited(estate):
    """Change records of the permission itself, whichever side a relation is changed from."""
    user = User.objects.create_user("petras")
    perm = grant(user, Site, ["view"], name="bandymas")
    perm.constraints = {"code": "MED"}
    perm.save()
    dba = Group.objects.get(name="dba")
    perm.groups.add(dba)
    pk = perm.pk
    perm.delete()
    kind = ContentType.objects.get_for_model(ObjectPermission)
    entries = list(AuditEntry.objects.filter(content_type=kind, object_id=pk).order_by("id"))
    assert entries[0].action == Action.CREATE and entries[0].after["name"] == "bandymas"
    assert any(e.after and e.after.get("users") == [user.pk] for e in entries)
    assert any(e.after and e.after.get("constraints") == {"code": "MED"} for e in entries)
    assert any(e.after and e.after.get("groups") == [dba.pk] for e in entries)
    assert entries[-1].action == Action.DELETE and entries[-1].before["name"] == "bandymas"


def test_user_page_changes_roles_and_is_audited(db):
    """Roles are the user's many-to-many field: its edit page sets them, its change record
    holds the roles' ids before and after."""
    admin = role_user("irtis_admin")
    target = User.objects.create_user("ona")
    client = Client()
    client.force_login(admin)
    dba = Group.objects.get(name="dba")
    data = {"username": "ona", "is_active": "on", "groups": [dba.pk], "version": target.version}
    response = client.post(reverse("identity:user_edit", args=[target.pk]), data)
    assert response.status_code == 302
    assert list(target.groups.values_list("name", flat=True)) == ["dba"]
    kind = ContentType.objects.get_for_model(User)
    [entry] = [e for e in AuditEntry.objects.filter(content_type=kind, object_id=target.pk)
               if e.after and "groups" in e.after]
    assert entry.actor == admin and (entry.before, entry.after) == ({"groups": []}, {"groups": [dba.pk]})


def test_home_shows_recent_changes_only_to_audit_readers(estate):
    reader, other = role_user("auditor"), role_user("dba")
    for user, shown in ((reader, True), (other, False)):
        client = Client()
        client.force_login(user)
        assert (len(client.get(reverse("home")).context["recent"]) > 0) is shown
