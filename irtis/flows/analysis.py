"""Which firewall rules no approved flow explains, and which flows are past their review.

An allow rule is explained when one approved, unexpired flow contains all of it: every source
network of the rule within the flow's source, every destination network within its destination
(a zone is the union of its prefixes), its protocol (a flow for "any" covers every protocol) and
its ports. Deny rules need no explaining.

Containment is found without comparing every rule with every flow: the flows' networks are
collapsed (`ipaddress.collapse_addresses`, so a network covered by the union of a zone's
prefixes lies within one of the collapsed ones) and indexed by (version, length, network
number); the flows containing a rule's network are then the index entries at each of its
supernets, at most 33 look-ups (129 for IPv6) a network.
"""

import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from irtis.network.models import Prefix

from . import syntax
from .models import Firewall, FirewallRule, Flow, FlowStatus, Protocol

Key = tuple[int, int, int]  # IP version, prefix length, network number shifted to that length


@dataclass(frozen=True)
class Explained:
    rule: FirewallRule
    flows: tuple[int, ...]  # ids of the flows that explain it; empty: unexplained


class Index:
    """The approved flows in force, indexed by the networks of their two ends."""

    def __init__(self, flows: Iterable[Flow], zone_networks: dict[int, list[syntax.Network]]) -> None:
        self.sources: dict[Key, set[int]] = defaultdict(set)
        self.destinations: dict[Key, set[int]] = defaultdict(set)
        self.services: dict[int, tuple[str, tuple[syntax.Range, ...]]] = {}
        for flow in flows:
            self.services[flow.pk] = (flow.protocol, syntax.ports(flow.ports))
            for zone, prefix, index in ((flow.source_zone_id, flow.source_prefix, self.sources),
                                        (flow.destination_zone_id, flow.destination_prefix, self.destinations)):
                networks = [ipaddress.ip_network(prefix.prefix)] if prefix is not None else zone_networks.get(
                    zone or 0, [])
                for network in _collapsed(networks):
                    index[_key(network)].add(flow.pk)

    def containing(self, index: dict[Key, set[int]], network: syntax.Network) -> set[int]:
        bits = network.max_prefixlen
        number = int(network.network_address)
        found: set[int] = set()
        for length in range(network.prefixlen + 1):
            found |= index.get((network.version, length, number >> (bits - length)), set())
        return found

    def explain(self, rule: FirewallRule) -> tuple[int, ...]:
        candidates: set[int] | None = None
        for index, text in ((self.sources, rule.source), (self.destinations, rule.destination)):
            for network in syntax.addresses(text):
                found = self.containing(index, network)
                candidates = found if candidates is None else candidates & found
                if not candidates:
                    return ()
        ports = syntax.ports(rule.ports) if rule.protocol in (Protocol.TCP, Protocol.UDP) else syntax.ALL_PORTS
        return tuple(sorted(
            pk for pk in candidates or ()
            if self._covers(self.services[pk], rule.protocol, ports)
        ))

    @staticmethod
    def _covers(service: tuple[str, tuple[syntax.Range, ...]], protocol: str, ports: tuple[syntax.Range, ...]) -> bool:
        flow_protocol, flow_ports = service
        if flow_protocol == Protocol.ANY:
            return True
        if flow_protocol != protocol:
            return False
        return protocol not in (Protocol.TCP, Protocol.UDP) or syntax.ports_within(ports, flow_ports)


def _key(network: syntax.Network) -> Key:
    shift = network.max_prefixlen - network.prefixlen
    return network.version, network.prefixlen, int(network.network_address) >> shift


def _collapsed(networks: list[syntax.Network]) -> list[syntax.Network]:
    result: list[syntax.Network] = []
    for version in (4, 6):
        result += ipaddress.collapse_addresses(n for n in networks if n.version == version)  # type: ignore[type-var]
    return result


def in_force() -> Q:
    today = timezone.localdate()
    return Q(status=FlowStatus.APPROVED) & (Q(expires__isnull=True) | Q(expires__gte=today))


def index() -> Index:
    """The index of every approved flow in force: two queries (flows, the zones' prefixes)."""
    flows = list(Flow.objects.filter(in_force()).select_related("source_prefix", "destination_prefix"))
    zones = {f.source_zone_id for f in flows} | {f.destination_zone_id for f in flows}
    networks: dict[int, list[syntax.Network]] = defaultdict(list)
    for zone, prefix in Prefix.plain.filter(zone__in=zones - {None}).values_list("zone_id", "prefix"):
        networks[zone].append(ipaddress.ip_network(prefix))
    return Index(flows, networks)


def unexplained(firewalls: Iterable[Firewall] | None = None, flows: Index | None = None) -> list[FirewallRule]:
    """The allow rules (of `firewalls`, or of all) that no approved flow in force explains."""
    flows = flows or index()
    rules = FirewallRule.objects.filter(action="allow").select_related("firewall")
    rules = rules.order_by("firewall__name", "position")
    if firewalls is not None:
        rules = rules.filter(firewall__in=list(firewalls))
    return [rule for rule in rules if not flows.explain(rule)]


def explained(firewall: Firewall) -> list[Explained]:
    """Every rule of one firewall with the flows that explain it (deny rules: none needed)."""
    flows = index()
    return [Explained(rule, flows.explain(rule) if rule.action == "allow" else ())
            for rule in firewall.rules.order_by("position")]


def past_review() -> list[Flow]:
    """Approved flows whose review date has passed."""
    return list(Flow.objects.filter(in_force(), review_by__lt=timezone.localdate()).order_by("review_by", "name"))
