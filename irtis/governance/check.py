"""The automatic conformance check of a proposal (statute 2.14): against the technology catalogue,
the architecture rules of its category, the target cluster's capacity with one host failed
(N-1), the approved zone flows and the free addresses of the target prefix.

Every finding cites what it checks against: a catalogue entry, a rule (with its principle), the
cluster or the prefix. What cannot be checked for want of data is a finding too, never a pass.
A fixed number of queries whatever the number of components (tests assert it).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core.bulk import save_objects
from irtis.flows import syntax
from irtis.flows.analysis import in_force
from irtis.flows.models import Flow
from irtis.inventory.models import StorageCapacity
from irtis.network import ip
from irtis.network.models import SecurityZone
from irtis.systems.models import Component
from irtis.virtualization.capacity import Capacity
from irtis.virtualization.models import Cluster

from .catalogue import Listing, listings
from .models import Lifecycle, Rule, RuleKind
from .proposals_models import Proposal, ProposalComponent, ProposalFinding, ProposalInterface
from .rules import DMZ

S = ProposalFinding.Severity


@dataclass(frozen=True)
class Found:
    severity: str
    citation: str
    message: str
    rule_id: int | None = None


@dataclass
class Versions:
    names: dict[int, str]
    support: dict[int, datetime.date | None]
    kinds: dict[int, str]


def _versions(components: list[ProposalComponent]) -> Versions:
    from irtis.inventory.models import SoftwareVersion
    from irtis.inventory.models.software import support_ends

    ids = {pk for c in components for pk in (c.software_version_id, c.operating_system_id) if pk}
    names, support, kinds = {}, {}, {}
    rows = SoftwareVersion.objects.filter(pk__in=ids).values_list(
        "pk", "name", "support_end", "extended_support_end", "end_of_life", "product__kind")
    for pk, name, mainstream, extended, end_of_life, kind in rows:
        names[pk], support[pk], kinds[pk] = name, support_ends(mainstream, extended, end_of_life), kind
    return Versions(names, support, kinds)


def _status(listing: Listing | None) -> str:
    return str(Lifecycle(listing.status).label) if listing else _("not in the catalogue")


def catalogue_findings(components: list[ProposalComponent], versions: dict[int, Listing],
                       hardware: dict[int, Listing], names: dict[int, str], hardware_names: dict[int, str],
                       today: datetime.date) -> list[Found]:
    found = []
    severity = {Lifecycle.APPROVED: None, Lifecycle.TOLERATED: S.MINOR, Lifecycle.RETIRING: S.MAJOR,
                Lifecycle.FORBIDDEN: S.BLOCKING}
    for c in components:
        used = [(pk, versions.get(pk), names.get(pk, ""))
                for pk in (c.software_version_id, c.operating_system_id) if pk]
        if c.hardware_model_id:
            used.append((c.hardware_model_id, hardware.get(c.hardware_model_id),
                         hardware_names.get(c.hardware_model_id, "")))
        for _pk, listing, name in used:
            level = S.MAJOR if listing is None else severity[Lifecycle(listing.status)]
            if listing is not None and listing.overdue(today):
                level = S.BLOCKING
            if level is None:
                continue
            citation = (_("Catalogue: %(technology)s (%(status)s)") % {"technology": listing.technology,
                                                                       "status": _status(listing)}
                        if listing else _("Catalogue: %(name)s is not listed") % {"name": name})
            found.append(Found(level, citation, _("Component %(component)s uses %(name)s, %(status)s.") % {
                "component": c.name, "name": name, "status": _status(listing)}))
    return found


def _cite(rule: Rule) -> str:
    return _("Rule %(rule)s (principle %(principle)s)") % {"rule": rule.code, "principle": rule.principle.code}


def rule_findings(proposal: Proposal, rules: list[Rule], components: list[ProposalComponent],
                  versions: dict[int, Listing], hardware: dict[int, Listing], info: Versions,
                  zones: dict[int, int], cluster: Cluster | None, today: datetime.date) -> list[Found]:
    found: list[Found] = []

    def add(rule: Rule, severity: str, message: str) -> None:
        found.append(Found(severity, _cite(rule), message, rule.pk))

    for rule in rules:
        accepted = {Lifecycle.APPROVED} | ({Lifecycle.TOLERATED} if rule.accept_tolerated else set())
        if rule.kind in (RuleKind.DBMS_APPROVED, RuleKind.SOFTWARE_APPROVED):
            chosen = [c for c in components if rule.kind == RuleKind.SOFTWARE_APPROVED
                      or c.kind == Component.Kind.DATABASE]
            for c in chosen:
                ids = [c.software_version_id] if rule.kind == RuleKind.DBMS_APPROVED else [
                    c.software_version_id, c.operating_system_id]
                if not any(ids):
                    add(rule, S.MAJOR, _("Cannot be evaluated: component %(component)s names no version.") % {
                        "component": c.name})
                for pk in filter(None, ids):
                    listing = versions.get(pk)
                    if listing is None or listing.status not in accepted:
                        add(rule, S.MAJOR, _("Component %(component)s: %(name)s is %(status)s.") % {
                            "component": c.name, "name": info.names.get(pk, ""), "status": _status(listing)})
                if rule.kind == RuleKind.SOFTWARE_APPROVED and c.hardware_model_id:
                    listing = hardware.get(c.hardware_model_id)
                    if listing is None or listing.status not in accepted:
                        add(rule, S.MAJOR, _("Component %(component)s: its hardware model is %(status)s.") % {
                            "component": c.name, "status": _status(listing)})
        elif rule.kind == RuleKind.NOTHING_FORBIDDEN:
            for c in components:
                for pk in filter(None, (c.software_version_id, c.operating_system_id)):
                    listing = versions.get(pk)
                    if listing and listing.overdue(today):
                        add(rule, S.BLOCKING, _("Component %(component)s: %(name)s is %(status)s.") % {
                            "component": c.name, "name": info.names.get(pk, ""), "status": _status(listing)})
        elif rule.kind == RuleKind.DATA_CENTRES:
            if cluster is None:
                add(rule, S.MAJOR, _("Cannot be evaluated: no target cluster is given."))
            elif (rule.minimum or 1) > 1:
                add(rule, S.MAJOR, _("The proposal is hosted in one cluster (%(cluster)s, one site); the rule "
                                     "requires %(minimum)s data centres.") % {"cluster": cluster.name,
                                                                               "minimum": rule.minimum})
        elif rule.kind == RuleKind.INTERNET_IN_DMZ:
            for c in components:
                if not c.internet_facing:
                    continue
                if c.zone_id is None:
                    add(rule, S.MAJOR, _("Cannot be evaluated: internet-facing component %(component)s has no "
                                         "zone.") % {"component": c.name})
                elif zones.get(c.zone_id) != DMZ:
                    add(rule, S.BLOCKING, _("Internet-facing component %(component)s is not in a DMZ zone.") % {
                        "component": c.name})
        elif rule.kind == RuleKind.OS_SUPPORTED:
            if proposal.planned_end is None:
                add(rule, S.MAJOR, _("Cannot be evaluated: the planned end of life is not given."))
                continue
            for c in components:
                os_id = c.operating_system_id
                if os_id is None:
                    if not c.hardware_model_id:
                        add(rule, S.MAJOR, _("Cannot be evaluated: component %(component)s names no operating "
                                             "system.") % {"component": c.name})
                elif info.support.get(os_id) is None:
                    add(rule, S.MAJOR, _("Cannot be evaluated: the support end of %(name)s is not recorded.") % {
                        "name": info.names.get(os_id, "")})
                elif info.support[os_id] < proposal.planned_end:  # type: ignore[operator]
                    add(rule, S.MAJOR, _("Component %(component)s: support of %(name)s ends %(date)s, before the "
                                         "planned end %(end)s.") % {
                        "component": c.name, "name": info.names.get(os_id, ""), "date": info.support[os_id],
                        "end": proposal.planned_end})
        elif rule.kind == RuleKind.OWNER_AND_BACKUP:
            if not proposal.owner_unit.strip():
                add(rule, S.MAJOR, _("No owner unit is given."))
            if not proposal.backup_planned:
                add(rule, S.MAJOR, _("No backup is planned."))
    return found


def capacity_findings(components: list[ProposalComponent], cluster: Cluster | None) -> list[Found]:
    """Does the load fit the target cluster with its largest host failed (N-1)?"""
    hosted = [c for c in components if not c.hardware_model_id]
    need_vcpu = sum(c.vcpu * c.instances for c in hosted)
    need_memory = sum(c.memory_gb * c.instances for c in hosted)
    need_storage = sum(c.storage_gb * c.instances for c in hosted)
    if not hosted:
        return []
    if cluster is None:
        return [Found(S.MAJOR, _("Capacity"), _("Cannot be evaluated: no target cluster is given."))]
    cap: Capacity = cluster.capacity
    citation = _("Capacity of cluster %(cluster)s (N-1)") % {"cluster": cluster.name}
    if cap.hosts < 2:
        return [Found(S.BLOCKING, citation, _("The cluster has %(hosts)s hosts: it cannot survive the loss of one.")
                      % {"hosts": cap.hosts})]
    found = []
    vcpu_room = int((cap.cores - cap.largest_cores) * cap.vcpu_limit) - cap.vcpus
    memory_room = float((cap.memory_gb - cap.largest_memory_gb) * cap.memory_limit) - cap.memory_allocated_gb
    for label, need, room in ((_("vCPU"), need_vcpu, vcpu_room), (_("memory (GB)"), need_memory, memory_room)):
        params = {"what": label, "need": need, "room": round(room, 1)}
        if need > room:
            found.append(Found(S.BLOCKING, citation, _(
                "%(what)s: %(need)s needed, %(room)s free with the largest host failed.") % params))
        else:
            found.append(Found(S.INFO, citation, _(
                "%(what)s: %(need)s needed fits, %(room)s free with the largest host failed.") % params))
    storage = cap.storage_gb
    if storage is None:
        if need_storage:
            found.append(Found(S.MAJOR, citation, _("Cannot be evaluated: the cluster's datastore capacity is not "
                                                    "recorded.")))
    elif need_storage > storage - cap.disk_gb:
        found.append(Found(S.BLOCKING, citation, _("Storage: %(need)s GB needed, %(room)s GB free.") % {
            "need": need_storage, "room": round(storage - cap.disk_gb)}))
    return found


GB_PER_TB = 1000  # disk arrays are sized in decimal terabytes, as their vendors state them


def storage_findings(components: list[ProposalComponent], storage: StorageCapacity | None) -> list[Found]:
    """Does the components' storage fit the free usable capacity of the named disk array?"""
    need = sum(c.storage_gb * c.instances for c in components)
    if storage is None or not need:
        return []
    citation = _("Capacity of disk array %(array)s") % {"array": storage.device.name}
    room = round((storage.usable_tb - storage.used_tb) * GB_PER_TB)
    params = {"need": need, "room": room}
    if need > room:
        return [Found(S.BLOCKING, citation, _("Storage: %(need)s GB needed, %(room)s GB free.") % params)]
    return [Found(S.INFO, citation, _("Storage: %(need)s GB needed fits, %(room)s GB free.") % params)]


def address_findings(proposal: Proposal, components: list[ProposalComponent]) -> list[Found]:
    need = sum(c.ip_addresses * c.instances for c in components)
    if not need:
        return []
    prefix = proposal.prefix
    if prefix is None:
        return [Found(S.MAJOR, _("Address space"), _("Cannot be evaluated: no target prefix is given."))]
    citation = _("Address space: prefix %(prefix)s") % {"prefix": prefix.prefix}
    free = ip.usable(prefix.network) - prefix.addresses().count()
    if need > free:
        return [Found(S.BLOCKING, citation, _("%(need)s addresses needed, %(free)s free.") % {
            "need": need, "free": free})]
    return [Found(S.INFO, citation, _("%(need)s addresses needed, %(free)s free.") % {"need": need, "free": free})]


def flow_findings(interfaces: list[ProposalInterface]) -> list[Found]:
    """Each interface between two zones needs an approved flow in force covering it."""
    pairs = {(i.source_zone_id, i.destination_zone_id) for i in interfaces if i.source_zone_id != i.destination_zone_id}
    if not pairs:
        return []
    flows: dict[tuple[int, int], list[tuple[str, tuple[syntax.Range, ...], str]]] = {}
    for source, destination, protocol, ports, name in Flow.objects.filter(
            in_force(), from_zone_id__in={p[0] for p in pairs}, to_zone_id__in={p[1] for p in pairs}).values_list(
            "from_zone_id", "to_zone_id", "protocol", "ports", "name"):
        flows.setdefault((source, destination), []).append((protocol, syntax.ports(ports), name))
    found = []
    for i in interfaces:
        if i.source_zone_id == i.destination_zone_id:
            continue
        wanted = syntax.ports(i.ports)
        covering = [name for protocol, ports, name in flows.get((i.source_zone_id, i.destination_zone_id), [])
                    if protocol == "any" or (protocol == i.protocol and (
                        protocol not in ("tcp", "udp") or syntax.ports_within(wanted, ports)))]
        if covering:
            found.append(Found(S.INFO, _("Flow %(flow)s") % {"flow": covering[0]},
                               _("Interface %(interface)s is covered by an approved flow.") % {"interface": i.name}))
        else:
            found.append(Found(S.MAJOR, _("Zone flow rules"), _(
                "Interface %(interface)s: no approved flow from zone %(source)s to %(destination)s for %(protocol)s "
                "%(ports)s; a flow must be requested.") % {
                "interface": i.name, "source": i.source_zone.code, "destination": i.destination_zone.code,
                "protocol": i.protocol, "ports": i.ports or "*"}))
    return found


def findings(proposal: Proposal) -> list[Found]:
    """Everything the automatic check finds (reads only)."""
    today = timezone.localdate()
    components = list(proposal.components.all())
    interfaces = list(proposal.interfaces.select_related("source_zone", "destination_zone"))
    versions, hardware = listings()
    info = _versions(components)
    from irtis.inventory.models import HardwareModel

    hardware_names = dict(HardwareModel.objects.filter(
        pk__in={c.hardware_model_id for c in components if c.hardware_model_id}).values_list("pk", "name"))
    zones = dict(SecurityZone.objects.filter(pk__in={c.zone_id for c in components if c.zone_id}).values_list(
        "pk", "trust_level"))
    rules = [r for r in Rule.objects.filter(enabled=True).select_related("principle").order_by("code")
             if r.category_id is None or r.category_id == proposal.category_id]
    cluster = Cluster.objects.with_capacity().filter(pk=proposal.cluster_id).first() if proposal.cluster_id else None
    return [
        *catalogue_findings(components, versions, hardware, info.names, hardware_names, today),
        *rule_findings(proposal, rules, components, versions, hardware, info, zones, cluster, today),
        *capacity_findings(components, cluster),
        *storage_findings(components, StorageCapacity.objects.select_related("device").filter(
            pk=proposal.storage_id).first() if proposal.storage_id else None),
        *address_findings(proposal, components),
        *flow_findings(interfaces),
    ]


def run(proposal: Proposal) -> list[ProposalFinding]:
    """Check the proposal and store the findings, replacing its previous automatic ones (audited in
    the name of whoever the change context names: the request's user)."""
    made = [ProposalFinding(proposal=proposal, severity=f.severity, citation=f.citation[:300], message=f.message,
                            rule_id=f.rule_id, automatic=True) for f in findings(proposal)]
    with transaction.atomic():
        old = list(proposal.findings.filter(automatic=True))
        if old:
            from irtis.core.bulk import delete_objects

            delete_objects(old)
        save_objects(made)
        proposal.checked = timezone.now()
        proposal.save(update_fields=["checked"])
    return made
