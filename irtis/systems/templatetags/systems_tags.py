"""Template helpers of the systems pages and panels."""

from django import template
from django.db import models

from irtis.systems import graph

register = template.Library()


@register.filter
def node_spec(obj: models.Model) -> str:
    """How the API and the map page name an object: "<app_label>.<model>-<id>"."""
    return f"{obj._meta.label_lower}-{obj.pk}"


@register.simple_tag
def single_points_of_failure(system: models.Model) -> list[graph.NodeInfo]:
    return graph.single_points_of_failure(system)
