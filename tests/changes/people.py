"""Users with permissions on the changes models, and roles of a change advisory board."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from irtis.changes.models import Blackout, ChangeRequest, MaintenanceWindow, WindowObject
from irtis.identity.models import ObjectPermission, User

MODELS = (MaintenanceWindow, WindowObject, ChangeRequest, Blackout)


def person(name: str, actions: tuple[str, ...] = ("view", "add", "change"), role: Group | None = None,
           constraints: dict | None = None) -> User:
    """A user granted `actions` on the changes models (not a superuser)."""
    user = User.objects.create_user(name, f"{name}@muitine.lt", "Sl4ptas-Ilgas!")
    grant = ObjectPermission.objects.create(name=f"{name}:changes", actions=list(actions), constraints=constraints)
    grant.object_types.set(ContentType.objects.get_for_models(*MODELS).values())
    grant.users.add(user)
    if role is not None:
        user.groups.add(role)
    return user


def role(code: str) -> Group:
    return Group.objects.get_or_create(name=code)[0]
