"""Template tags of the inventory: rack elevations drawn inline."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from irtis.inventory import elevation
from irtis.inventory.models import Rack

register = template.Library()


@register.inclusion_tag("inventory/rack_faces.html")
def rack_faces(rack: Rack) -> dict:
    """Both faces of the rack side by side (one query for the devices, one for the unracked)."""
    devices = elevation.mounted_devices(rack)
    return {
        "rack": rack,
        "faces": [mark_safe(elevation.draw(rack, face, devices)) for face in elevation.FACES],
        "unracked": list(elevation.unracked_devices(rack)),
    }


@register.simple_tag
def rack_face(rack: Rack, face: str) -> SafeString:
    return mark_safe(elevation.draw(rack, face, elevation.mounted_devices(rack)))
