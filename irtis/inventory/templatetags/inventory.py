"""Template tags of the inventory: rack elevations drawn inline."""

from django import template
from django.utils.safestring import mark_safe

from irtis.inventory import elevation
from irtis.inventory.models import Rack

register = template.Library()


@register.inclusion_tag("inventory/rack_faces.html", takes_context=True)
def rack_faces(context: template.Context, rack: Rack) -> dict:
    """Both faces of the rack side by side, as the reader may see them."""
    user = context["request"].user
    devices = elevation.mounted_devices(rack, user)
    unracked, hidden = elevation.unracked_devices(rack, user)
    return {
        "rack": rack,
        "faces": [mark_safe(elevation.draw(rack, face, devices)) for face in elevation.FACES],
        "unracked": unracked,
        "hidden": hidden,
    }
