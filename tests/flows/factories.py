"""Zones, prefixes, flows and firewalls for the flows tests."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from irtis.flows.models import Firewall, FirewallRule, Flow, FlowStatus, RuleSetVersion
from irtis.identity.models import ObjectPermission, User
from irtis.network.models import Prefix, SecurityZone

MODELS = (Flow, Firewall, FirewallRule, RuleSetVersion)


def zone(code: str, *prefixes: str) -> SecurityZone:
    made = SecurityZone.objects.create(code=code, name=f"Zona {code}")
    for prefix in prefixes:
        Prefix.objects.create(prefix=prefix, zone=made)
    return made


def flow(name: str, source: Any, destination: Any, protocol: str = "tcp", ports: str = "443",
         status: str = FlowStatus.APPROVED, **values: Any) -> Flow:
    """A flow between zones or prefixes, saved as it is given (approval is tested in test_actions)."""
    ends = {}
    for end, value in (("source", source), ("destination", destination)):
        ends[f"{end}_{'zone' if isinstance(value, SecurityZone) else 'prefix'}"] = value
    values.setdefault("review_by", timezone.localdate() + dt.timedelta(days=90))
    made = Flow(name=name, protocol=protocol, ports=ports, purpose="Bandymas", status=status, **ends, **values)
    made.full_clean()
    made.save()
    return made


def firewall(name: str = "fw-1", **values: Any) -> Firewall:
    return Firewall.objects.create(name=name, **values)


def rule(fw: Firewall, position: int, source: str, destination: str, protocol: str = "tcp", ports: str = "443",
         action: str = "allow") -> FirewallRule:
    made = FirewallRule(firewall=fw, position=position, name=f"r{position}", action=action, source=source,
                        destination=destination, protocol=protocol, ports=ports)
    made.full_clean()
    made.save()
    return made


def person(name: str, *roles: str, actions: tuple[str, ...] = ("view", "add", "change", "import")) -> User:
    """A user granted `actions` on the flows models, a member of `roles` (not a superuser)."""
    user = User.objects.create_user(name, f"{name}@muitine.lt", "Sl4ptas-Ilgas!")
    grant = ObjectPermission.objects.create(name=f"{name}:flows", actions=list(actions))
    grant.object_types.set(ContentType.objects.get_for_models(*MODELS).values())
    grant.users.add(user)
    for code in roles:
        user.groups.add(Group.objects.get_or_create(name=code)[0])
    return user
