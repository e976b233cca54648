"""The technology radar as SVG drawn on the server: four areas (quadrants), four lifecycle rings
(approved innermost), one numbered dot per technology, placed deterministically."""

import math
from dataclasses import dataclass

from .models import Lifecycle, Technology

SIZE = 640
CENTRE = SIZE / 2
RINGS = (Lifecycle.APPROVED, Lifecycle.TOLERATED, Lifecycle.RETIRING, Lifecycle.FORBIDDEN)
RADII = (110, 185, 250, 305)  # the outer edge of each ring
COLOURS = {Lifecycle.APPROVED: "#2f9e44", Lifecycle.TOLERATED: "#1971c2", Lifecycle.RETIRING: "#f08c00",
           Lifecycle.FORBIDDEN: "#e03131"}
AREAS = tuple(Technology.Area)  # quadrant q spans angles [q·90°, (q+1)·90°)


@dataclass(frozen=True)
class Blip:
    number: int
    technology: Technology
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class Ring:
    status: str
    label: str
    radius: int
    label_y: float


@dataclass(frozen=True)
class Quadrant:
    label: str
    x: float
    y: float
    anchor: str
    blips: list[Blip]


def draw(technologies: list[Technology]) -> dict:
    """What the template draws: rings, quadrants with their blips (numbered within the picture)."""
    cells: dict[tuple[str, str], list[Technology]] = {}
    for tech in sorted(technologies, key=lambda t: (AREAS.index(Technology.Area(t.area)), RINGS.index(
            Lifecycle(t.status)), t.name)):
        cells.setdefault((tech.area, tech.status), []).append(tech)
    number = 0
    quadrants = []
    for q, area in enumerate(AREAS):
        blips = []
        for r, status in enumerate(RINGS):
            inner, outer = (RADII[r - 1] if r else 20), RADII[r]
            items = cells.get((area, status), [])
            for i, tech in enumerate(items):
                number += 1
                # spread along the ring's arc, alternating between two radii when crowded
                fraction = (i + 1) / (len(items) + 1)
                angle = math.radians(q * 90 + 6 + fraction * 78)
                radius = inner + (outer - inner) * (0.35 if i % 2 else 0.7)
                blips.append(Blip(number, tech, round(CENTRE + radius * math.cos(angle), 1),
                                  round(CENTRE - radius * math.sin(angle), 1), COLOURS[status]))
        corner_x = SIZE - 8 if q in (0, 3) else 8
        corner_y = 20 if q in (0, 1) else SIZE - 8
        quadrants.append(Quadrant(str(Technology.Area(area).label), corner_x, corner_y,
                                  "end" if q in (0, 3) else "start", blips))
    rings = [Ring(status, str(Lifecycle(status).label), RADII[r], CENTRE - RADII[r] + 14)
             for r, status in enumerate(RINGS)]
    return {"size": SIZE, "centre": CENTRE, "rings": list(reversed(rings)), "quadrants": quadrants}
