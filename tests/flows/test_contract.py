"""The platform contract for every flows model: pages, API, import/export, search, audit."""

import datetime as dt

from irtis.flows.models import Firewall, FirewallRule, Flow, RuleSetVersion
from irtis.network.models import SecurityZone
from tests.support.contract import ModelContract

from .factories import firewall, flow, rule


def _zone(code: str) -> SecurityZone:
    return SecurityZone.objects.get_or_create(code=code, defaults={"name": f"Zona {code}"})[0]


class TestFlow(ModelContract):
    model = Flow
    change = {"purpose": "Pakeista paskirtis"}

    def make(self, n: int) -> Flow:
        return flow(f"Srautas {n}", _zone(f"A{n}"), _zone(f"B{n}"), ports=str(400 + n))

    def new_values(self) -> dict:
        return {"name": "Naujas srautas", "source_zone": _zone("NA"), "destination_zone": _zone("NB"),
                "protocol": "udp", "ports": "53,5000-5010", "purpose": "DNS užklausos",
                "review_by": dt.date(2027, 6, 1)}


class TestFirewall(ModelContract):
    model = Firewall
    change = {"description": "Perimetro saugasienė"}

    def make(self, n: int) -> Firewall:
        return firewall(f"fw-{n}")

    def new_values(self) -> dict:
        return {"name": "fw-naujas", "zone": _zone("DMZ"), "description": "Nauja saugasienė"}


class TestFirewallRule(ModelContract):
    model = FirewallRule
    change = {"comment": "Peržiūrėta"}

    def make(self, n: int) -> FirewallRule:
        return rule(Firewall.objects.get_or_create(name="fw-taisyklės")[0], n, f"10.{n}.0.0/16", "any")

    def new_values(self) -> dict:
        return {"firewall": Firewall.objects.get_or_create(name="fw-taisyklės")[0], "position": 999,
                "name": "Nauja", "action": "deny", "source": "10.0.0.0/8", "destination": "any",
                "protocol": "icmp", "ports": ""}


class TestRuleSetVersion(ModelContract):
    model = RuleSetVersion

    @property
    def change(self) -> dict:  # type: ignore[override]
        """Another firewall: the one field a version lets anyone set."""
        return {"firewall": Firewall.objects.get_or_create(name="fw-kita")[0]}

    def make(self, n: int) -> RuleSetVersion:
        return RuleSetVersion.objects.create(firewall=firewall(f"fw-v{n}"), sha256=f"{n:064x}", rules=n)

    def new_values(self) -> dict:
        return {"firewall": firewall("fw-nauja-versija")}
