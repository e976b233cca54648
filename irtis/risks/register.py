"""A system's risk register: its risks and analyses as the reader may see them, with both heat maps."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from . import heatmap
from . import settings as risk_settings
from .models import Risk, RiskAnalysis


@dataclass
class Register:
    system: InformationSystem
    risks: list[Risk]
    analyses: list[RiskAnalysis]
    inherent: SafeString
    residual: SafeString
    appetite: int

    @property
    def above_appetite(self) -> list[Risk]:
        return [r for r in self.risks if r.level > self.appetite]


def of(system: InformationSystem, user: Any) -> Register:
    """Three queries: risks (with owners and findings), analyses."""
    risks: QuerySet[Risk] = permissions.restrict(Risk.objects.filter(system=system), user)
    rows = list(risks.select_related("owner").prefetch_related("findings"))
    rows.sort(key=lambda r: (-r.level, r.pk))
    analyses = permissions.restrict(RiskAnalysis.objects.filter(system=system), user).select_related("approved_by")
    return Register(
        system=system, risks=rows, analyses=list(analyses.order_by("-performed_on")[:20]),
        inherent=heatmap.svg(heatmap.cells((r.likelihood, r.impact) for r in rows), _("Inherent risk")),
        residual=heatmap.svg(heatmap.cells((r.residual_likelihood, r.residual_impact) for r in rows),
                             _("Residual risk")),
        appetite=risk_settings.appetite(),
    )
