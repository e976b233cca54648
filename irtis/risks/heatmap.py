"""A 5 × 5 heat map of risks (likelihood up, impact across) as SVG drawn on the server: pages and
the PDF show the same picture without JavaScript."""

from collections import Counter
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CELL, MARGIN = 48, 40  # pixels: a cell, and the room for the likelihood axis' numbers
COLOURS = ((4, "#b7e1a1"), (9, "#fde68a"), (15, "#fdba74"), (25, "#f87171"))  # level ≤ bound → colour


def colour(level: int) -> str:
    return next(c for bound, c in COLOURS if level <= bound)


def cells(pairs: Iterable[tuple[int | None, int | None]]) -> Counter[tuple[int, int]]:
    """How many risks sit at each (likelihood, impact); pairs with a missing value are left out."""
    return Counter((likelihood, impact) for likelihood, impact in pairs if likelihood and impact)


def svg(counts: Counter[tuple[int, int]], title: str) -> SafeString:
    size = MARGIN + 5 * CELL + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
             f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="13">',
             f"<title>{escape(title)}</title>"]
    for likelihood in range(1, 6):
        y = 2 + (5 - likelihood) * CELL
        parts.append(f'<text x="{MARGIN - 8}" y="{y + CELL // 2 + 5}" text-anchor="end">{likelihood}</text>')
        for impact in range(1, 6):
            x = MARGIN + (impact - 1) * CELL
            count = counts.get((likelihood, impact), 0)
            label = _("likelihood %(likelihood)s × impact %(impact)s: %(count)s") % {
                "likelihood": likelihood, "impact": impact, "count": count}
            parts.append(f'<g><title>{escape(label)}</title><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                         f'fill="{colour(likelihood * impact)}" stroke="#fff" stroke-width="2"/>')
            if count:
                parts.append(f'<text x="{x + CELL // 2}" y="{y + CELL // 2 + 5}" text-anchor="middle" '
                             f'font-weight="bold">{count}</text>')
            parts.append("</g>")
    for impact in range(1, 6):
        parts.append(f'<text x="{MARGIN + (impact - 1) * CELL + CELL // 2}" y="{2 + 5 * CELL + 20}" '
                     f'text-anchor="middle">{impact}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above
