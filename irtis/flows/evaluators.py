"""The automatic controls of network access: firewall rule reviews (LT-18, LT-19), rules that
no approved flow explains, and approved flows past their review date."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from irtis.security.evaluation import Deviation, Outcome, evaluator

from . import analysis
from .models import Firewall, FirewallRule, Flow

REVIEW_DAYS = 183  # six months (LT-19)


@evaluator("firewall_rules_reviewed", _("Firewall rules reviewed"),
           _("Every firewall's rules were reviewed within the last six months (183 days)."),
           ("LT-18", "LT-19", "A.8.20"))
def firewall_rules_reviewed() -> Outcome:
    since = timezone.localdate() - dt.timedelta(days=REVIEW_DAYS)
    firewalls = list(Firewall.objects.order_by("name"))
    deviations = []
    for firewall in firewalls:
        if firewall.rules_reviewed_at is None:
            deviations.append(Deviation(f"flows.firewall:{firewall.pk}", firewall.name,
                                        gettext_noop("The rules were never reviewed")))
        elif firewall.rules_reviewed_at < since:
            deviations.append(Deviation(f"flows.firewall:{firewall.pk}", firewall.name,
                                        gettext_noop("The rules were last reviewed on %(date)s"),
                                        {"date": firewall.rules_reviewed_at.isoformat()}))
    return Outcome.of(len(firewalls), deviations, days=REVIEW_DAYS)


@evaluator("firewall_rules_explained", _("Firewall rules explained by approved flows"),
           _("Every allow rule of every firewall lies within an approved flow in force."),
           ("LT-18", "A.8.20", "A.8.22"))
def firewall_rules_explained() -> Outcome:
    checked = FirewallRule.objects.filter(action="allow").count()
    deviations = [
        Deviation(f"flows.firewallrule:{rule.pk}", f"{rule.firewall.name} #{rule.position} {rule.name}".rstrip(),
                  gettext_noop("No approved flow explains the rule %(source)s → %(destination)s %(protocol)s "
                               "%(ports)s"),
                  {"source": rule.source, "destination": rule.destination, "protocol": rule.protocol,
                   "ports": rule.ports})
        for rule in analysis.unexplained()
    ]
    return Outcome.of(checked, deviations)


@evaluator("flows_reviewed", _("Approved flows reviewed"),
           _("No approved network flow is past its review date."), ("LT-18", "A.8.22"))
def flows_reviewed() -> Outcome:
    checked = Flow.objects.filter(analysis.in_force()).count()
    deviations = [
        Deviation(f"flows.flow:{flow.pk}", flow.name, gettext_noop("Review was due on %(date)s"),
                  {"date": flow.review_by.isoformat()}, (flow.system_id,) if flow.system_id else ())
        for flow in analysis.past_review()
    ]
    return Outcome.of(checked, deviations)
