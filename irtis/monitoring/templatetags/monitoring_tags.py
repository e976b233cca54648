"""Panels of monitoring on other apps' detail pages: a system's availability, a check's state."""

from typing import Any

from django import template

from irtis.monitoring import summary, svg
from irtis.monitoring.models import Check, CheckState, Rollup, StateChange
from irtis.systems.models import InformationSystem

register = template.Library()


@register.simple_tag
def system_availability(system: InformationSystem) -> dict[str, Any]:
    return {"summary": summary.summaries([system])[0], "strip": summary.strip_svg(system)}


@register.simple_tag
def check_details(check: Check) -> dict[str, Any]:
    rollups = Rollup.objects.filter(check_obj=check).order_by("-hour")[:7 * 24]
    points = [(r.hour, r.min_ms, r.avg_ms, r.max_ms) for r in reversed(rollups)]
    return {
        "state": CheckState.objects.filter(pk=check.pk).first(),
        "changes": StateChange.objects.filter(check_obj=check).order_by("-at")[:10],
        "chart": svg.response_chart(points),
    }
