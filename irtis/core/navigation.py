"""The menu: the division's functions, each listing the registered models that serve it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import registry


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    coming: str = ""


GROUPS = (
    Group("inventory", _("Inventory")),
    Group("networks", _("Networks"), _("Zones, VLANs, prefixes, IP addresses, links and circuits.")),
    Group("systems", _("Information systems"), _("Systems, components, dependencies and impact.")),
    Group("operations", _("Operations"), _("Monitoring, incidents, maintenance, changes, backups.")),
    Group("security", _("Security"), _("Controls, evidence, access requests and findings.")),
    Group("architecture", _("Architecture"), _("Technology catalogue and architecture descriptions.")),
    Group("procurement", _("Procurement"), _("Specifications, offers, contracts and suppliers.")),
    Group("servicedesk", _("Service desk"), _("Consultations, response targets, knowledge base.")),
    Group("reports", _("Reports"), _("Dashboards and reports for management.")),
    Group("admin", _("Administration")),
)


def menu() -> list[tuple[Group, list[registry.ModelEntry]]]:
    entries = registry.entries()
    return [(group, [e for e in entries if e.group == group.key]) for group in GROUPS]
