"""A Gantt picture drawn on the server as SVG: one bar per row between its dates, its progress
filled in, milestones as diamonds, month ticks and today's line. Built from numbers and
escaped text only, so it carries no script and needs none."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

LABEL, WIDTH, ROW, BAR = 240, 720, 22, 14
COLOURS = {"green": "#198754", "amber": "#fd7e14", "red": "#dc3545", "grey": "#6c757d", "blue": "#0d6efd"}


@dataclass(frozen=True)
class Bar:
    label: str
    start: dt.date
    end: dt.date
    progress: int  # 0–100
    colour: str = "blue"  # a key of COLOURS
    url: str = ""


@dataclass(frozen=True)
class Mark:
    label: str
    day: dt.date
    done: bool = False


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    day, found = first.replace(day=1), []
    while day <= last:
        found.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return found


def draw(bars: Sequence[Bar], marks: Sequence[Mark] = (), today: dt.date | None = None) -> SafeString:
    """The chart of `bars` (top to bottom) and `marks` (on a row of their own at the bottom)."""
    if not bars and not marks:
        return mark_safe(f'<p class="small text-body-secondary">{escape(_("Nothing planned yet."))}</p>')
    days = [b.start for b in bars] + [b.end for b in bars] + [m.day for m in marks]
    first, last = min(days), max(days) + dt.timedelta(days=1)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return LABEL + (day - first).days / span * WIDTH

    rows = len(bars) + (1 if marks else 0)
    height = 20 + rows * ROW
    parts = []
    for month in _months(first, last):
        left = max(x(month), LABEL)
        parts.append(f'<line x1="{left:.1f}" y1="14" x2="{left:.1f}" y2="{height}" stroke="#dee2e6"/>'
                     f'<text x="{left + 2:.1f}" y="11" font-size="9" fill="#6c757d">{month:%Y-%m}</text>')
    for n, bar in enumerate(bars):
        top = 20 + n * ROW
        left, right = x(bar.start), x(bar.end + dt.timedelta(days=1))
        done = left + (right - left) * max(0, min(bar.progress, 100)) / 100
        colour = COLOURS.get(bar.colour, COLOURS["blue"])
        title = escape(f"{bar.label}: {bar.start.isoformat()} – {bar.end.isoformat()}, {bar.progress} %")
        label = escape(bar.label if len(bar.label) <= 38 else bar.label[:37] + "…")
        text = f'<text x="2" y="{top + 11}" font-size="11">{label}</text>'
        if bar.url:
            text = f'<a href="{escape(bar.url)}">{text}</a>'
        parts.append(
            f'<g><title>{title}</title>{text}'
            f'<rect x="{left:.1f}" y="{top}" width="{max(right - left, 2):.1f}" height="{BAR}" rx="2" '
            f'fill="{colour}" fill-opacity="0.3"/>'
            f'<rect x="{left:.1f}" y="{top}" width="{max(done - left, 0):.1f}" height="{BAR}" rx="2" '
            f'fill="{colour}"/></g>')
    if marks:
        top = 20 + len(bars) * ROW
        parts.append(f'<text x="2" y="{top + 11}" font-size="11">{escape(_("Milestones"))}</text>')
        for mark in marks:
            cx, cy = x(mark.day), top + BAR / 2
            fill = COLOURS["green"] if mark.done else COLOURS["grey"]
            title = escape(f"{mark.label}: {mark.day.isoformat()}")
            parts.append(f'<path d="M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} '
                         f'L{cx - 6:.1f},{cy:.1f} Z" fill="{fill}"><title>{title}</title></path>')
    if today and first <= today <= last:
        parts.append(f'<line x1="{x(today):.1f}" y1="14" x2="{x(today):.1f}" y2="{height}" stroke="#dc3545" '
                     f'stroke-dasharray="3,2"><title>{escape(_("Today"))}</title></line>')
    label = escape(_("Gantt chart"))
    total = LABEL + WIDTH + 4
    return mark_safe(  # built from numbers and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" viewBox="0 0 {total} {height}" '
        f'width="100%" class="gantt">{"".join(parts)}</svg>')
