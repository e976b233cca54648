"""Reading a domain and keeping what was read (`run`), and comparing the latest reading with the
records (`differences`). Nothing here changes the records: a person applies a difference on the
domain's page (`apply_roles`, `apply_controller`), audited as that person."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.core.secrets import SecretUnreadable
from irtis.inventory.models import Site
from irtis.network.models import Prefix

from . import ad, credentials
from .models import (
    FSMO_ROLES,
    DirectoryDomain,
    DomainController,
    ReadController,
    Reading,
    ReadSite,
    ReadSubnet,
    ReplicationConnection,
    Trust,
)
from .models.readings import KEEP

NOT_EXPOSED = "not exposed"  # replication_status when the server shows no replication neighbours


def run(domain: DirectoryDomain) -> Reading:
    """Read the domain now and keep the reading (with its error when it could not be read)."""
    with translation.override(settings.LANGUAGE_CODE):  # the stored error is read by people, in Lithuanian
        reading = Reading(domain=domain, read_at=timezone.now())
        try:
            found = ad.read(_target(domain))
        except ad.ReadError as error:
            reading.error = str(error)
            found = None
    with transaction.atomic():
        if found is not None:
            reading.ok, reading.server, reading.fsmo = True, found.server, found.fsmo
            reading.domain_level, reading.forest_level = found.domain_level, found.forest_level
            reading.replication_status = found.replication_status or NOT_EXPOSED
        reading.save()
        if found is not None:
            _store(reading, found)
        old = Reading.objects.filter(domain=domain).order_by("-read_at", "-pk").values_list("pk", flat=True)[KEEP:]
        Reading.objects.filter(pk__in=list(old)).delete()
    return reading


def _target(domain: DirectoryDomain) -> ad.Target:
    if not (domain.urls and domain.bind_account):
        raise ad.ReadError(_("The domain has no LDAPS address or bind account: set them first."))
    try:
        password = credentials.read(domain)
    except SecretUnreadable:
        raise ad.ReadError(_("The stored bind password does not decrypt with this server's key: set it again."),
                           ) from None
    if password is None:
        raise ad.ReadError(_("No bind password is set: set it first."))
    return ad.Target(urls=tuple(domain.urls), bind=domain.bind_account, password=password,
                     ca_file=domain.ca_file, timeout=float(domain.timeout))


def _store(reading: Reading, found: ad.ADReading) -> None:
    ReadSite.objects.bulk_create([ReadSite(reading=reading, **site) for site in found.sites])
    ReadSubnet.objects.bulk_create([ReadSubnet(reading=reading, **subnet) for subnet in found.subnets])
    ReplicationConnection.objects.bulk_create([ReplicationConnection(reading=reading, **c) for c in found.connections])
    Trust.objects.bulk_create([Trust(reading=reading, **t) for t in found.trusts])
    ReadController.objects.bulk_create([ReadController(
        reading=reading, name=c.name, dns_name=c.dns_name, site=c.site, global_catalog=c.global_catalog,
        read_only=c.read_only, fsmo_roles=_roles(c.roles), reachable=c.health.reachable, error=c.health.error,
        time_offset=c.health.time_offset, synchronized=c.health.synchronized, gc_ready=c.health.gc_ready,
        highest_usn=c.health.highest_usn, replication_failures=c.health.failures) for c in found.controllers])


def _roles(roles: list[str]) -> str:
    return ", ".join(r for r in FSMO_ROLES if r in roles)


def latest(domain: DirectoryDomain) -> Reading | None:
    return Reading.objects.filter(domain=domain).order_by("-read_at", "-pk").first()


def key(name: str) -> str:
    """A host name compared: its first label, lower case."""
    return name.split(".")[0].strip().lower()


@dataclass(frozen=True)
class Difference:
    """One way AD and the records disagree, for a person to review."""

    kind: str  # "new_controller", "unknown_controller", "fsmo", "subnet"
    name: str
    message: str
    recorded: DomainController | None = None
    read: ReadController | None = None


def differences(domain: DirectoryDomain, reading: Reading | None) -> list[Difference]:
    """What the reading found that the records do not say, and the other way round (four queries)."""
    if reading is None or not reading.ok:
        return []
    recorded = {key(dc.name): dc for dc in DomainController.objects.filter(domain=domain)}
    read = {key(c.name): c for c in reading.controllers.all()}
    found: list[Difference] = []
    for name, controller in read.items():
        dc = recorded.get(name)
        if dc is None:
            found.append(Difference("new_controller", controller.name, _(
                "AD has the domain controller %(name)s (site %(site)s) that is not recorded.") % {
                "name": controller.name, "site": controller.site}, read=controller))
        elif dc.fsmo_roles != controller.fsmo_roles:
            found.append(Difference("fsmo", dc.name, _(
                "FSMO roles of %(name)s: recorded “%(recorded)s”, AD says “%(read)s”.") % {
                "name": dc.name, "recorded": dc.fsmo_roles or "—", "read": controller.fsmo_roles or "—"},
                recorded=dc, read=controller))
    for name, dc in recorded.items():
        if name not in read:
            found.append(Difference("unknown_controller", dc.name, _(
                "The recorded domain controller %(name)s is not in AD.") % {"name": dc.name}, recorded=dc))
    subnets = {_network(s.prefix): s for s in reading.subnets.all()}
    known = set(Prefix.objects.filter(prefix__in=[n for n in subnets if n]).values_list("prefix", flat=True))
    for network, subnet in subnets.items():
        if network not in known:
            found.append(Difference("subnet", subnet.prefix, _(
                "The subnet %(prefix)s of AD site %(site)s matches no recorded prefix.") % {
                "prefix": subnet.prefix, "site": subnet.site or "—"}))
    return found


def _network(text: str) -> str:
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return ""


def apply_roles(user: Any, domain: DirectoryDomain, name: str) -> DomainController:
    """Record AD's FSMO roles on the recorded controller `name`, as `user` (audited); ValueError
    when the latest reading no longer says so."""
    difference = _difference(domain, "fsmo", name)
    assert difference.recorded is not None and difference.read is not None
    with transaction.atomic():
        dc = permissions.obtain(DomainController.objects.select_for_update(), user, "change", difference.recorded.pk)
        dc.fsmo_roles = difference.read.fsmo_roles
        dc.full_clean()
        dc.save()
        permissions.ensure(user, [dc], "change")
    return dc


def apply_controller(user: Any, domain: DirectoryDomain, name: str, site: Site) -> DomainController:
    """Record the controller AD has and the records lack, at `site`, as `user` (audited)."""
    difference = _difference(domain, "new_controller", name)
    read = difference.read
    assert read is not None
    with transaction.atomic():
        dc = DomainController(domain=domain, name=read.name.lower(), site=site, global_catalog=read.global_catalog,
                              read_only=read.read_only, fsmo_roles=read.fsmo_roles,
                              description=read.dns_name)
        dc.full_clean()
        dc.save()
        permissions.ensure(user, [dc], "add")
    return dc


def _difference(domain: DirectoryDomain, kind: str, name: str) -> Difference:
    for difference in differences(domain, latest(domain)):
        if difference.kind == kind and difference.name == name:
            return difference
    raise ValueError(_("The latest reading no longer shows this difference: nothing was applied."))
