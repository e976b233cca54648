"""Template tags of the inventory: rack elevations drawn inline, cable traces."""

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from irtis.inventory import elevation, power_draw, trace
from irtis.inventory.models import Device, Rack

register = template.Library()


@register.inclusion_tag("inventory/rack_faces.html", takes_context=True)
def rack_faces(context: template.Context, rack: Rack) -> dict:
    """Both faces of the rack side by side, as the reader may see them."""
    user = context["request"].user
    devices = elevation.mounted_devices(rack, user)
    unracked, hidden = elevation.unracked_devices(rack, user)
    reserved = elevation.reserved_units(rack, user)
    return {
        "rack": rack,
        "faces": [mark_safe(elevation.draw(rack, face, devices, reserved)) for face in elevation.FACES],
        "unracked": unracked,
        "hidden": hidden,
    }


@register.inclusion_tag("inventory/trace_path.html", takes_context=True)
def cable_trace(context: template.Context, port: Any) -> dict:
    """The path from `port` to its far end; a device the reader may not view shows no name."""
    path = trace.trace(port)
    return {"trace": path, "visible": trace.visible_devices([path], context["request"].user)}


@register.inclusion_tag("inventory/device_cabling_table.html", takes_context=True)
def device_cabling(context: template.Context, device: Device) -> dict:
    """Each cabled port of the device with the far end of its trace."""
    paths = [trace.trace(port) for port in trace.cabled_ports(device)]
    return {"traces": paths, "visible": trace.visible_devices(paths, context["request"].user)}


@register.filter
def port_device(port: Any) -> Device | None:
    """The device a port belongs to (None for a power feed, which belongs to a power panel)."""
    return getattr(port, "device", None)


@register.inclusion_tag("inventory/rack_power_table.html")
def rack_power(rack: Rack) -> dict:
    """The rack's power draw against its feeds."""
    return {"rows": power_draw.rack_power([rack]), "report": False}
