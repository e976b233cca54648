"""Template helpers of the systems pages and panels."""

from django import template
from django.db import models

from irtis.systems import graph

register = template.Library()


@register.filter
def node_spec(obj: models.Model) -> str:
    """How the API and the map page name an object: "<app_label>.<model>-<id>"."""
    return f"{obj._meta.label_lower}-{obj.pk}"


@register.simple_tag(takes_context=True)
def single_points_of_failure(context: template.Context, system: models.Model) -> list[graph.NodeInfo]:
    """The system's single points of failure, those the reader may not view as placeholders."""
    return graph.single_points_of_failure(system, getattr(context.get("request"), "user", None))
