"""Writing a read scan report: an assessment, its findings linked to the estate, and the findings of
the same scope that the scan no longer reports closed.

A later scan of a scope recognises its findings by their stable key (NVT OID, host, port): it
updates them, reopens a fixed one that reappears, and closes (fixed) an unresolved or accepted one
it no longer reports; a false positive stays one. Everything is one transaction: a failure leaves
nothing written. The scope's findings are locked while they are compared, so two imports of one
scope take turns instead of losing each other's changes.
"""

import ipaddress
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irtis.core import bulk, relations
from irtis.inventory.models import Device
from irtis.network import ip
from irtis.network.models import IPAddress
from irtis.systems.models import Deployment, InformationSystem
from irtis.virtualization.models import VirtualMachine, VMAddressAssignment

from .models import Assessment, Finding, Severity
from .scans import Report, ScanError, ScanResult

CHUNK = 2000  # values per IN (...) look-up
Progress = Callable[[int, int, str], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    closed: int = 0
    linked: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Target:
    """What a scanned host is in the inventory, and the systems running on it."""

    address: IPAddress | None = None
    device: Device | None = None
    vm: VirtualMachine | None = None
    systems: set[int] = field(default_factory=set)
    owner_id: int | None = None


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def resolve(hosts: Iterable[str]) -> dict[str, Target]:
    """Hosts (IP addresses) → their IP address record, device or virtual machine, and systems.

    A constant number of queries per 2,000 hosts. An address recorded in several VRFs is taken from
    the global table, else left unlinked (which VRF the scanner saw is not known).
    """
    addresses = {}
    for host in hosts:
        try:
            addresses[host] = ipaddress.ip_address(host)
        except ValueError:
            continue  # a host name: nothing to look it up by
    targets = {host: Target() for host in addresses}
    by_key = {ip.key(a): host for host, a in addresses.items()}
    found: dict[str, list[IPAddress]] = defaultdict(list)
    for keys in _chunks(list(by_key)):
        for record in IPAddress.objects.filter(address_key__in=keys).select_related("interface__device"):
            found[by_key[record.address_key]].append(record)
    for host, records in found.items():
        chosen = next((r for r in records if r.vrf_id is None), records[0] if len(records) == 1 else None)
        if chosen is not None:
            targets[host].address = chosen
            targets[host].device = chosen.interface.device if chosen.interface_id and chosen.interface else None
    by_record = {target.address.pk: host for host, target in targets.items() if target.address}
    for ids in _chunks(list(by_record)):
        assigned = VMAddressAssignment.objects.filter(ip_address_id__in=ids)
        for assignment in assigned.select_related("interface__virtual_machine"):
            targets[by_record[assignment.ip_address_id]].vm = assignment.interface.virtual_machine
    _systems(targets)
    return targets


def _systems(targets: dict[str, Target]) -> None:
    devices = defaultdict(list)
    vms = defaultdict(list)
    for target in targets.values():
        if target.device:
            devices[target.device.pk].append(target)
        if target.vm:
            vms[target.vm.pk].append(target)
    pairs: list[tuple[list[Target], int]] = []
    for ids, name, by in ((list(devices), "device_id", devices), (list(vms), "virtual_machine_id", vms)):
        for chunk in _chunks(ids):
            rows = Deployment.objects.filter(**{f"{name}__in": chunk}).values_list(name, "component__system_id")
            pairs += [(by[pk], system) for pk, system in rows]
    for owners, system in pairs:
        for target in owners:
            target.systems.add(system)
    # the owner of a new finding: the first responsible person of its first system
    wanted = {s for t in targets.values() for s in t.systems}
    responsible: dict[int, int] = {}
    through = InformationSystem.responsible.through
    for chunk in _chunks(sorted(wanted)):
        for system, user in through.objects.filter(informationsystem_id__in=chunk).order_by("user_id").values_list(
                "informationsystem_id", "user_id"):
            responsible.setdefault(system, user)
    for target in targets.values():
        target.owner_id = next((responsible[s] for s in sorted(target.systems) if s in responsible), None)


def _update(finding: Finding, result: ScanResult, assessment: Assessment, counts: Counts) -> bool:
    """Bring a stored finding up to the scan; True if anything changed."""
    severity = Severity.of_cvss(result.cvss)
    values = {"assessment_id": assessment.pk, "title": result.title, "description": result.description,
              "cvss": result.cvss, "severity": severity, "cve": " ".join(result.cve)[:1000],
              "last_seen": assessment.performed_on}
    if finding.status == Finding.Status.FIXED:  # it came back
        values |= {"status": Finding.Status.OPEN, "closed_on": None, "due_date": None}
        counts.reopened += 1
    changed = {k: v for k, v in values.items() if getattr(finding, k) != v}
    for name, value in changed.items():
        setattr(finding, name, value)
    if finding.due_date is None:
        finding.fill(assessment.performed_on)
    return bool(changed)


def _new(result: ScanResult, assessment: Assessment, target: Target | None) -> Finding:
    finding = Finding(
        assessment=assessment, scope=assessment.scope, key=result.key, title=result.title,
        description=result.description, cvss=result.cvss, severity=Severity.of_cvss(result.cvss),
        cve=" ".join(result.cve)[:1000], nvt_oid=result.nvt_oid, host=result.host, port=result.port,
        owner_id=target.owner_id if target else None,
        ip_address=target.address if target else None, device=target.device if target else None,
        virtual_machine=target.vm if target else None,
    )
    finding.fill(assessment.performed_on)
    return finding


def write(report: Report, assessment: Assessment, progress: Progress | None = None) -> Counts:
    """Store the assessment (unsaved, its fields set) and the report's findings; see the module's doc."""
    counts = Counts()
    step = progress or (lambda done, total, message: None)
    results = {r.key: r for r in report.results}  # a weakness reported twice on one port is one finding
    with transaction.atomic():
        assessment.full_clean()
        assessment.save()
        # findings recorded by hand (no key) are not the scanner's to close
        scope = Finding.objects.select_for_update().filter(scope=assessment.scope).exclude(key="")
        stored = {f.key: f for f in scope}
        targets = resolve({r.host for k, r in results.items() if k not in stored})
        step(0, len(results), "")
        new, changed = [], []
        for done, (key, result) in enumerate(results.items(), start=1):
            finding = stored.get(key)
            if finding is None:
                new.append(_new(result, assessment, targets.get(result.host)))
            elif _update(finding, result, assessment, counts):
                changed.append(finding)
            else:
                counts.unchanged += 1
            if done % 5000 == 0:
                step(done, len(results), "")
        for key, finding in stored.items():
            if key not in results and finding.status not in Finding.CLOSED:
                finding.status, finding.closed_on = Finding.Status.FIXED, assessment.performed_on
                changed.append(finding)
                counts.closed += 1
        counts.created, counts.updated = len(new), len(changed) - counts.closed
        bulk.save_objects(new + changed)
        linked = [f for f in new if f.host in targets and targets[f.host].systems]
        relations.assign(linked, Finding._meta.get_field("systems"), [targets[f.host].systems for f in linked])
        counts.linked = sum(1 for f in new if f.ip_address_id or f.device_id or f.virtual_machine_id)
        step(len(results), len(results), "")
    return counts


def new_assessment(report: Report, kind: str, scope: str, performer: str, performed_on: date | None,
                   sha256: str) -> Assessment:
    """The assessment a report's import records, the report's own task and start filling the gaps."""
    when = performed_on or report.started
    if when is None:
        raise ScanError(_("The file does not say when the assessment was performed: give the date."))
    if not (scope or report.task):
        raise ScanError(_("The file does not name its scope: give the scope."))
    return Assessment(kind=kind, scope=scope or report.task, performer=performer, performed_on=when,
                      report_sha256=sha256)
