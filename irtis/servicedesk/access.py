"""Who sees which requests: the single place deciding it is the platform's permissions.

The role `requester` (every IT user who asks the desk; give it to them, or to the AD group they
are in) holds permissions constrained to the user's own requests, written here after every
`migrate` (`sync`, idempotent). The desk's roles (`service_desk`, `irtis_admin`) see every
request through their role's default grants; a requester reads the replies and inbound mail of
their requests, never the internal notes, and the articles for all users, never internal ones.
"""

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from irtis.identity.models import ObjectPermission

ROLE = "requester"
OWN = "$user"
PUBLIC = ["reply", "inbound"]
# name → (model, actions, constraints)
GRANTS: dict[str, tuple[str, list[str], Any]] = {
    "servicedesk:requester:requests": ("request", ["view", "add", "change"], {"requester": OWN}),
    "servicedesk:requester:messages": ("message", ["view"], {"request__requester": OWN, "kind__in": PUBLIC}),
    "servicedesk:requester:write": ("message", ["add"], {"request__requester": OWN, "kind": "inbound"}),
    "servicedesk:requester:files": ("attachment", ["view"], [
        {"request__requester": OWN, "message__isnull": True},
        {"request__requester": OWN, "message__kind__in": PUBLIC},
        {"article__audience": "all"},
    ]),
    "servicedesk:requester:articles": ("article", ["view"], {"audience": "all"}),
    "servicedesk:requester:categories": ("category", ["view"], None),
}


def sync(**kwargs: Any) -> None:
    """Create the requester role and its permissions, or put them back as declared."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=ROLE)
        for name, (model, actions, constraints) in GRANTS.items():
            kind = ContentType.objects.get_by_natural_key("servicedesk", model)
            perm = ObjectPermission.objects.filter(name=name).first() or ObjectPermission(name=name)
            if perm.pk is None or perm.actions != actions or perm.constraints != constraints:
                perm.actions, perm.constraints = actions, constraints
                perm.description = "Own service desk requests of the requester role"
                perm.save()
            if set(perm.groups.all()) != {group}:
                perm.groups.set([group])
            if set(perm.object_types.all()) != {kind}:
                perm.object_types.set([kind])
