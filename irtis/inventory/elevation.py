"""Rack elevations drawn on the server as SVG: one face of a rack, devices at their units."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.utils.html import escape
from django.utils.translation import gettext as _

from irtis.core import permissions

from .models import Device, Rack, RackReservation

UNIT = 22  # pixels per rack unit
WIDTH = 260  # width of the rack's inside
GUTTER = 30  # unit numbers on the left
TOP = 28  # title above the rack
FACES = ("front", "rear")
HIDDEN_COLOUR = "#adb5bd"  # a device the reader may not view


@dataclass(frozen=True)
class Mounted:
    """A device as an elevation draws it."""

    pk: int
    name: str
    position: int
    height: int
    face: str
    full_depth: bool
    role: str
    color: str
    url: str

    @property
    def top(self) -> int:
        return self.position + self.height - 1


def mounted_devices(rack: Rack, user: object) -> list[Mounted]:
    """The devices mounted in the rack (two queries); one the user may not view is only an
    occupied block: no name, role or link."""
    rows = (
        Device.objects.filter(rack=rack, position__isnull=False)
        .select_related("role", "hardware_model")
        .only("name", "position", "face", "role__name", "role__color", "hardware_model__u_height",
              "hardware_model__full_depth")
        .order_by("position")
    )
    visible = set(permissions.restrict(Device.objects.filter(rack=rack), user).values_list("pk", flat=True))
    return [
        Mounted(d.pk, d.name, cast(int, d.position), max(d.hardware_model.u_height, 1), d.face,
                d.hardware_model.full_depth, d.role.name, d.role.color, d.get_absolute_url())
        if d.pk in visible else
        Mounted(0, "", cast(int, d.position), max(d.hardware_model.u_height, 1), d.face,
                d.hardware_model.full_depth, "", HIDDEN_COLOUR, "")
        for d in rows
    ]


@dataclass(frozen=True)
class Reserved:
    """A reservation as an elevation draws it: its units, and for whom (blank when the reader may
    not view reservations)."""

    first: int
    last: int
    text: str


def reserved_units(rack: Rack, user: object) -> list[Reserved]:
    """The rack's reservations (two queries); one the user may not view is only "Reserved"."""
    rows = RackReservation.objects.filter(rack=rack).select_related("user", "team").order_by("first_unit")
    visible = set(permissions.restrict(RackReservation.objects.filter(rack=rack), user).values_list("pk", flat=True))
    return [Reserved(r.first_unit, r.last_unit, _for_whom(r) if r.pk in visible else "") for r in rows]


def _for_whom(reservation: RackReservation) -> str:
    who = ", ".join(str(x) for x in (reservation.team, reservation.user) if x is not None)
    return f"{who}: {reservation.description}"


def unracked_devices(rack: Rack, user: object) -> tuple[list[Device], int]:
    """Devices in the rack without a position (shelves, blanking, not yet mounted) that the user
    may view, and how many others there are."""
    devices = Device.objects.filter(rack=rack, position__isnull=True)
    visible = list(permissions.restrict(devices, user).only("name").order_by("name"))
    return visible, devices.count() - len(visible)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb)."""
    try:
        r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "#000"
    return "#000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#fff"


def draw(rack: Rack, face: str, devices: list[Mounted], reserved: Sequence[Reserved] = ()) -> str:
    """The SVG of one face of the rack; a full-depth device shows on both faces, a reservation's
    units are hatched (on both faces) under whatever is mounted in them."""
    height = rack.u_height * UNIT
    title = _("Front") if face == "front" else _("Rear")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{GUTTER + WIDTH + 2}" height="{TOP + height + 2}" '
        f'viewBox="0 0 {GUTTER + WIDTH + 2} {TOP + height + 2}" class="rack-elevation" '
        f'role="img" aria-label="{escape(rack.name)}: {escape(title)}">',
        "<style>text{font-family:sans-serif;font-size:11px}.u{fill:#6c757d;font-size:9px}"
        ".slot{fill:#f8f9fa;stroke:#dee2e6}.dev{stroke:#212529;stroke-width:.5}"
        ".ghost{opacity:.45}a:hover .dev{stroke-width:2}.res{fill:#fff3cd;stroke:#ffc107}"
        ".rt{fill:#664d03;font-size:10px}</style>",
        f'<text x="{GUTTER + WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">'
        f"{escape(rack.name)} · {escape(title)}</text>",
        f'<rect x="{GUTTER}" y="{TOP}" width="{WIDTH}" height="{height}" fill="#343a40"/>',
    ]
    for unit in rack.units:
        y = TOP + (rack.u_height - unit) * UNIT
        parts.append(f'<rect class="slot" x="{GUTTER + 2}" y="{y + 1}" width="{WIDTH - 4}" height="{UNIT - 2}"/>')
        parts.append(f'<text class="u" x="{GUTTER - 4}" y="{y + UNIT / 2 + 3}" text-anchor="end">{unit}</text>')
    for reservation in reserved:
        y = TOP + (rack.u_height - reservation.last) * UNIT
        tip = escape(f"{_('Reserved')} U{reservation.first}–U{reservation.last}"
                     + (f" · {reservation.text}" if reservation.text else ""))
        parts.append(f'<g><title>{tip}</title><rect class="res" x="{GUTTER + 2}" y="{y + 1}" width="{WIDTH - 4}" '
                     f'height="{(reservation.last - reservation.first + 1) * UNIT - 2}"/>'
                     f'<text class="rt" x="{GUTTER + 6}" y="{y + 14}">{escape(_("Reserved"))}</text></g>')
    for device in devices:
        on_this_face = device.face == face
        if not on_this_face and not device.full_depth:
            continue
        y = TOP + (rack.u_height - device.top) * UNIT
        box_height = device.height * UNIT - 2
        units = f"U{device.position}" + (f"–U{device.top}" if device.height > 1 else "")
        label = escape(device.name or _("Occupied"))
        tip = escape(f"{device.name} · {device.role} · {units}" if device.url else f"{_('Occupied')} · {units}")
        css = "dev" if on_this_face else "dev ghost"
        text_css = "" if on_this_face else ' class="ghost"'
        block = (
            f"<title>{tip}</title>"
            f'<rect class="{css}" x="{GUTTER + 2}" y="{y + 1}" width="{WIDTH - 4}" height="{box_height}" '
            f'rx="2" fill="{escape(device.color)}"/>'
            f'<text x="{GUTTER + WIDTH / 2}" y="{y + 1 + box_height / 2 + 4}" text-anchor="middle" '
            f'fill="{text_colour(device.color)}"{text_css}>{label}</text>'
        )
        link = escape(device.url)
        parts.append(f'<a href="{link}" xlink:href="{link}" target="_top">{block}</a>' if device.url
                     else f"<g>{block}</g>")
    parts.append("</svg>")
    return "".join(parts)
