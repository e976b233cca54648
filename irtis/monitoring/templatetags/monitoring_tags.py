"""Panels of monitoring on other apps' detail pages: a system's availability, a check's state."""

import math
from typing import Any

from django import template
from django.db import models
from django.utils.formats import number_format

from irtis.monitoring import availability, summary, svg
from irtis.monitoring.models import Check, CheckState, Rollup, StateChange
from irtis.systems.models import InformationSystem

register = template.Library()


@register.simple_tag
def system_availability(system: InformationSystem) -> summary.Panel:
    return summary.panel(system)


@register.simple_tag
def check_details(check: Check) -> dict[str, Any]:
    rollups = Rollup.objects.filter(check_obj=check).order_by("-hour")[:7 * 24]
    points = [(r.hour, r.min_ms, r.avg_ms, r.max_ms) for r in reversed(rollups)]
    return {
        "state": CheckState.objects.filter(pk=check.pk).first(),
        "changes": StateChange.objects.filter(check_obj=check).order_by("-at")[:10],
        "chart": svg.response_chart(points),
    }


@register.filter
def percent(value: float | None) -> str:
    """An availability as far as it means something: two decimals, cut rather than rounded (so
    99.996 % is not shown as 100 %), in the reader's number format ("99,95 %"); "—" for none."""
    if value is None:
        return "—"
    if value >= 100:
        return "100 %"
    return f"{number_format(math.floor(value * 100) / 100, 2)} %"


@register.simple_tag
def object_availability(obj: models.Model) -> dict[str, Any]:
    """An object's availability today / this month / this year, when a check or an alert watches it."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    node = (ContentType.objects.get_for_model(obj).id, obj.pk)
    if not availability.watched(node):
        return {"watched": False}
    now = timezone.now()
    found = availability.object_availability(node, summary.periods(now), now)
    return {"watched": True, "day": found["day"].percent, "month": found["month"].percent,
            "year": found["year"].percent, "hours": availability.object_hours(node)}
