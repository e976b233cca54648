"""Demo flows and firewalls of the customs data centre DC1 (shared domain facts, section 4;
synthetic). The networks are the demo address plan of irtis.network: 10.10.<VLAN>.0/24 at DC1
(100 prod-app and 110 prod-db in PROD, 120 DMZ, 130 B2G, 150 BACKUP). Two rules are left
unexplained on purpose, for the report to show: the portals' access from the internet (the
INTERNET zone has no recorded prefixes) and the backup servers' access to the databases (its
flow is still requested). The internal firewall's review is overdue."""

import datetime as dt

from django.utils import timezone

from irtis.core.demo import ensure
from irtis.network.models import Prefix, SecurityZone
from irtis.systems.models import InformationSystem

from .models import Firewall, FirewallRule, Flow, FlowStatus

# name, source zone, destination zone, protocol, ports, purpose, system, status, review in days
FLOWS = [
    ("Portalai → taikomosios programos", "DMZ", "PROD", "tcp", "443,8443",
     "BAP, MLS ir GVS portalai kreipiasi į taikomųjų programų serverius.", "BAP", FlowStatus.APPROVED, 120),
    ("Verslo S2S mainai → MDAS", "B2G", "PROD", "tcp", "443",
     "Ekonominės veiklos vykdytojų sistemų deklaracijų teikimas (S2S).", "MDAS", FlowStatus.APPROVED, 60),
    ("Taikomosios programos → duomenų bazės", "PROD", "PROD", "tcp", "1521",
     "MDAS ir NTKS taikomųjų programų prisijungimai prie Oracle duomenų bazių.", "MDAS", FlowStatus.APPROVED, -20),
    ("Atsarginis kopijavimas → duomenų bazės", "BACKUP", "PROD", "tcp", "8000-8100",
     "Atsarginio kopijavimo agentų prieiga prie duomenų bazių serverių.", None, FlowStatus.REQUESTED, 180),
]

# firewall, zone, reviewed days ago, rules (position, name, action, source, destination, protocol, ports)
FIREWALLS = [
    ("fw-dc1-perimetras", "DMZ", 40, [
        (10, "Portalai iš interneto", "allow", "any", "10.10.120.0/24", "tcp", "443"),
        (20, "Portalai į taikomąsias", "allow", "10.10.120.0/24", "10.10.100.0/24", "tcp", "8443"),
        (30, "S2S mainai", "allow", "10.10.130.0/24", "10.10.100.0/24", "tcp", "443"),
        (1000, "Visa kita draudžiama", "deny", "any", "any", "any", ""),
    ]),
    ("fw-dc1-vidinis", "PROD", 220, [
        (10, "Taikomosios į DB", "allow", "10.10.100.0/24", "10.10.110.0/24", "tcp", "1521"),
        (20, "Kopijavimo agentai", "allow", "10.10.150.0/24", "10.10.110.0/24", "tcp", "8000-8100"),
        (1000, "Visa kita draudžiama", "deny", "any", "any", "any", ""),
    ]),
]


def load() -> None:
    today = timezone.localdate()
    zones = {zone.code: zone for zone in SecurityZone.objects.filter(code__in={"DMZ", "PROD", "B2G", "BACKUP"})}
    for code in ("DMZ", "PROD", "B2G", "BACKUP"):
        if code not in zones:
            raise SecurityZone.DoesNotExist(f"demo zone {code}: load the network demo first")
    for prefix in ("10.10.100.0/24", "10.10.110.0/24", "10.10.120.0/24", "10.10.130.0/24", "10.10.150.0/24"):
        Prefix.plain.get(vrf=None, prefix=prefix)  # the rules below speak of these networks
    approved_at = timezone.make_aware(dt.datetime(2026, 1, 15, 10, 0))
    for name, source, target, protocol, ports, purpose, system, status, review in FLOWS:
        values = {
            "name": name, "source_zone": zones[source], "destination_zone": zones[target], "protocol": protocol,
            "ports": ports, "purpose": purpose, "review_by": today + dt.timedelta(days=review), "status": status,
            "system": InformationSystem.objects.get(code=system) if system else None,
        }
        flow = Flow.objects.filter(name=name).first()
        if flow is not None and flow.review_by != values["review_by"]:
            values["review_by"] = flow.review_by  # reruns on later days write nothing
        if status == FlowStatus.APPROVED:
            values |= {"owner_approved_at": approved_at, "security_approved_at": approved_at}
        ensure(Flow, "name", values)
    for name, zone, reviewed, rules in FIREWALLS:
        existing = Firewall.objects.filter(name=name).first()
        firewall = ensure(Firewall, "name", {
            "name": name, "zone": zones[zone],
            "rules_reviewed_at": existing.rules_reviewed_at if existing else today - dt.timedelta(days=reviewed),
        })
        for position, title, action, source, destination, protocol, ports in rules:
            ensure(FirewallRule, {"firewall": firewall, "position": position}, {
                "name": title, "action": action, "source": source, "destination": destination,
                "protocol": protocol, "ports": ports,
            })
