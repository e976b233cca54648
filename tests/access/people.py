"""Users of the access tests: a requester, an entitlement owner, a security officer."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from irtis.access.models import (
    AccessRequest,
    Entitlement,
    Kind,
    Membership,
    RecertificationCampaign,
    RecertificationItem,
)
from irtis.identity.models import ObjectPermission, User

MODELS = (Entitlement, AccessRequest, Membership, RecertificationCampaign, RecertificationItem)


def person(name: str, actions: tuple[str, ...] = ("view",)) -> User:
    """A user granted `actions` on the access models (not a superuser)."""
    user = User.objects.create_user(name, f"{name}@muitine.lt", "Sl4ptas-Ilgas!")
    grant = ObjectPermission.objects.create(name=f"{name}:access", actions=list(actions))
    grant.object_types.set(ContentType.objects.get_for_models(*MODELS).values())
    grant.users.add(user)
    return user


def officer(name: str = "saugos") -> User:
    return person(name, ("view", "add", "change"))


def entitlement(owner: User, name: str = "Muitinės deklaracijos: tikrintojas", kind: str = Kind.SYSTEM_ROLE,
                reference: str = "tikrintojas", max_days: int = 90) -> Entitlement:
    found = Entitlement(name=name, kind=kind, reference=reference, owner=owner, max_days=max_days)
    found.full_clean()
    found.save()
    return found


def ask(requester: User, beneficiary: User, what: Entitlement, days: int = 30) -> AccessRequest:
    today = timezone.localdate()
    request = AccessRequest(requester=requester, beneficiary=beneficiary, entitlement=what,
                            justification="Reikia darbui", valid_from=today,
                            valid_until=today + dt.timedelta(days=days))
    request.full_clean()
    request.save()
    return request
