"""Running a sweep: read every device's agent at once, compare each reading with the records and
keep what differs as findings to review. Nothing is written to the inventory here: a person
reviews a finding on the device's discovery page and applies it there (see `plan.apply`)."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.inventory.models import Device
from irtis.network.models import DevicePrimaryAddress, IPAddress
from irtis.network.models.ipam import same_vrf

from . import credentials, snmp
from . import plan as plans
from .models import Finding, Sweep

CONCURRENCY = 32  # agents read at once: enough to hide their latency, few enough not to flood a zone


class NoCredentials(Exception):
    """The sweep has no stored SNMP credentials."""


def devices(sweep: Sweep) -> QuerySet[Device]:
    """The devices the sweep reads: the named ones, else the active ones of its site and role."""
    named = Device.objects.filter(pk__in=Sweep.devices.through.objects.filter(sweep=sweep).values("device_id"))
    if named.exists():
        return named
    found = Device.objects.filter(status=Device.Status.ACTIVE)
    if sweep.site_id:
        found = found.filter(site_id=sweep.site_id)
    if sweep.role_id:
        found = found.filter(role_id=sweep.role_id)
    return found


def agent_addresses(device_ids: Iterable[int], vrf_id: int | None) -> dict[int, str]:
    """Each device's agent address in the sweep's VRF: its primary address if it is there, else its
    first recorded one (IPv4 first)."""
    found: dict[int, str] = {}
    primary = DevicePrimaryAddress.objects.filter(device_id=OuterRef("interface__device_id"), ip_address=OuterRef("pk"))
    rows = (IPAddress.objects.filter(same_vrf(vrf_id), interface__device_id__in=list(device_ids))
            .annotate(primary=Exists(primary))
            .order_by("interface__device_id", "-primary", "family", "address_key")
            .values_list("interface__device_id", "address"))
    for device_id, address in rows:
        found.setdefault(device_id, address.split("/")[0])
    return found


def run(sweep: Sweep, progress: Any = None) -> dict[str, int]:
    """Read the sweep's devices and replace its findings; the count of findings by outcome."""
    secret = credentials.read(sweep)
    if secret is None:
        raise NoCredentials(_("The sweep %(sweep)s has no SNMP credentials: set them first.") % {"sweep": sweep})
    targets = list(devices(sweep).order_by("pk"))
    addresses = agent_addresses((d.pk for d in targets), sweep.vrf_id)
    reachable = [d for d in targets if d.pk in addresses]
    if progress:
        progress(0, len(targets), _("Reading %(count)d agents") % {"count": len(reachable)})
    readings = dict(zip((d.pk for d in reachable), snmp.read_many(
        [addresses[d.pk] for d in reachable], sweep.port, secret, concurrency=CONCURRENCY,
        timeout=sweep.timeout, retries=sweep.retries), strict=True))
    now = timezone.now()
    findings = []
    for done, device in enumerate(targets, 1):
        finding = Finding(sweep=sweep, device=device, address=addresses.get(device.pk, ""), read_at=now)
        reading = readings.get(device.pk)
        if reading is None:
            finding.outcome = Finding.Outcome.NO_ADDRESS
            finding.message = _("The device has no recorded IP address in the sweep's VRF.")
        elif isinstance(reading, snmp.SnmpError):
            finding.outcome, finding.message = Finding.Outcome.FAILED, reading.message
        else:
            plan = plans.build(device, reading, sweep.vrf, None)
            summary = plan.summary
            differs = plan.has_changes or summary["errors"] or summary[plans.NOT_SEEN]
            finding.outcome = Finding.Outcome.CHANGES if differs else Finding.Outcome.MATCHES
            finding.reading, finding.summary = reading.as_dict(), {**summary, "digest": plan.digest}
        findings.append(finding)
        if progress and done % 50 == 0:
            progress(done, len(targets), _("Compared %(done)d of %(count)d devices") % {
                "done": done, "count": len(targets)})
    _replace(sweep, findings)
    counts = {outcome: 0 for outcome in Finding.Outcome.values}
    for finding in findings:
        counts[finding.outcome] += 1
    return counts


def _replace(sweep: Sweep, findings: list[Finding]) -> None:
    """Swap the sweep's findings for these; a dismissed finding stays dismissed while the
    device says the same (the same plan digest)."""
    with transaction.atomic():
        dismissed = {device_id: digest for device_id, digest in Finding.objects.filter(
            sweep=sweep, review=Finding.Review.DISMISSED).values_list("device_id", "summary__digest")}
        for finding in findings:
            if finding.summary.get("digest") and dismissed.get(finding.device_id) == finding.summary["digest"]:
                finding.review = Finding.Review.DISMISSED
        Finding.objects.filter(sweep=sweep).delete()
        Finding.objects.bulk_create(findings, batch_size=500)


def seen_by(user: Any) -> QuerySet[Finding]:
    """The findings of the devices the user may view."""
    return Finding.objects.filter(device__in=permissions.restrict(Device.objects.all(), user))


def review(finding: Finding, user: Any, outcome: str) -> None:
    """Mark the finding applied or dismissed by `user`."""
    finding.review, finding.reviewed_by, finding.reviewed_at = outcome, user, timezone.now()
    finding.save(update_fields=["review", "reviewed_by", "reviewed_at"])
