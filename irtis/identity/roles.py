"""The division's roles and their default permissions.

A role is a Django `auth.Group` whose name is a stable code (`network_admin`); its label is
translated. `sync()` creates the roles and one managed `ObjectPermission` per role and kind of
grant, over the models registered at the time; it runs after every `migrate` and with
`irtis roles sync`, and writes nothing when nothing changed. Grants beyond the defaults are
made with extra (unmanaged) permissions; a managed permission may be disabled, and stays so.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core import navigation, registry

from .models import ObjectPermission

READ = ("view", "export")
WRITE = ("view", "add", "change", "delete", "import", "export")
# Models outside the registry that roles are given rights on.
AUDIT = "audit.auditentry"
IDENTITY = ("identity.objectpermission", "identity.user", "identity.apitoken")
MAIL_LOG = "notifications.message"


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise
    writes: tuple[str, ...] = ()  # navigation groups whose models the role changes
    extra_view: tuple[str, ...] = ()  # further model labels it may read
    extra_write: tuple[str, ...] = ()  # further model labels it may change


# A role writes what its work changes: whole menu groups where the work is the whole function,
# and the models of its own work where they sit in another function's group (the DBA's databases
# are listed in the inventory, the directory's domain controllers too).
DATABASES = ("databases.dbmsinstance", "databases.database", "backups.restoredrill")
MAIL = ("mail.mailsystem", "mail.mailserver", "mail.databaseavailabilitygroup", "mail.mailboxdatabase",
        "mail.databasecopy", "mail.connector", "mail.accepteddomain", "mail.mailcertificate")
DIRECTORY = ("directory.directorydomain", "directory.domaincontroller", *MAIL, "inventory.mobiledevice",
             "access.membership")
NETWORK_DEVICES = ("inventory.device", "inventory.interface", "flows.firewall", "flows.firewallrule",
                   "flows.flow", "flows.rulesetversion")

ROLES = (
    Role("infra_admin", _("infrastructure administrator"), ("inventory", "operations")),
    Role("network_admin", _("network administrator"), ("networks",), extra_write=NETWORK_DEVICES),
    Role("dba", _("database administrator"), ("systems",), extra_write=DATABASES),
    Role("backup_admin", _("backup administrator"), ("operations",)),
    Role("directory_admin", _("directory and e-mail administrator"), ("systems",), extra_write=DIRECTORY),
    Role("security_officer", _("security officer"), ("security",), extra_view=(AUDIT,)),
    Role("architect", _("architect"), ("architecture", "projects")),
    Role("procurement", _("procurement specialist"), ("procurement",)),
    Role("service_desk", _("service desk"), ("servicedesk",)),
    Role("manager", _("manager"), ("projects", "reports")),
    Role("auditor", _("auditor"), extra_view=(AUDIT, *IDENTITY, MAIL_LOG)),
    Role(
        "irtis_admin",
        _("irtis administrator"),
        tuple(g.key for g in navigation.GROUPS),
        extra_write=(*IDENTITY, MAIL_LOG),
    ),
)
BY_CODE = {role.code: role for role in ROLES}


def label(code: str) -> str:
    role = BY_CODE.get(code)
    return str(role.label) if role else code


def default_grants(role: Role) -> dict[str, tuple[set[str], tuple[str, ...]]]:
    """Managed permission name → (model labels, actions) for a role, over today's registry."""
    # Who may read or change access itself is granted explicitly (auditor, irtis_admin).
    everything = {e.label for e in registry.entries()} - set(IDENTITY)
    written = {e.label for e in registry.entries() if e.group in role.writes} | set(
        role.extra_write
    )
    read = (everything - written) | (set(role.extra_view) - written)
    grants: dict[str, tuple[set[str], tuple[str, ...]]] = {}
    if read:
        grants[f"role:{role.code}:read"] = (read, READ)
    if written:
        grants[f"role:{role.code}:write"] = (written, WRITE)
    return grants


def _content_types(labels: set[str]) -> list[ContentType]:
    from django.apps import apps

    models = []
    for model_label in sorted(labels):
        try:
            models.append(apps.get_model(model_label))
        except LookupError:
            continue
    return list(ContentType.objects.get_for_models(*models, for_concrete_models=False).values())


def sync() -> list[str]:
    """Create or update the roles and their managed permissions; the names of what changed."""
    changed = []
    with transaction.atomic():
        for role in ROLES:
            group, created = Group.objects.get_or_create(name=role.code)
            if created:
                changed.append(role.code)
            wanted = default_grants(role)
            for name, (labels, actions) in wanted.items():
                perm = ObjectPermission.objects.filter(name=name).first()
                types = {ct.pk for ct in _content_types(labels)}
                if perm is None:
                    perm = ObjectPermission(
                        name=name,
                        managed=True,
                        actions=list(actions),
                        description=str(_("Default permission of the role.")),
                    )
                    perm.save()
                    perm.groups.set([group])
                    perm.object_types.set(types)
                    changed.append(name)
                    continue
                dirty = False
                if perm.actions != list(actions) or not perm.managed or perm.constraints:
                    perm.actions, perm.managed, perm.constraints = list(actions), True, None
                    perm.save()
                    dirty = True
                if set(perm.object_types.values_list("pk", flat=True)) != types:
                    perm.object_types.set(types)
                    dirty = True
                if set(perm.groups.values_list("pk", flat=True)) != {group.pk}:
                    perm.groups.set([group])
                    dirty = True
                if dirty:
                    changed.append(name)
            stale = ObjectPermission.objects.filter(
                managed=True, name__startswith=f"role:{role.code}:"
            ).exclude(name__in=list(wanted))
            for perm in stale:
                perm.delete()
                changed.append(perm.name)
    return changed
