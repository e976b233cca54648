"""Pictures drawn on the server as SVG (no script, no CDN): the 90-day availability strip of a
system and the response-time chart of a check. Text is escaped; colours are the board's."""

import datetime as dt
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLOURS = {"up": "#198754", "degraded": "#fd7e14", "down": "#dc3545", "unknown": "#adb5bd"}


def colour(percent: float | None, target: float) -> str:
    """Green at or above the target, orange within a point below it, red under that; grey: no data."""
    if percent is None:
        return COLOURS["unknown"]
    if percent >= target:
        return COLOURS["up"]
    return COLOURS["degraded"] if percent >= target - 1 else COLOURS["down"]


def strip(days: Sequence[tuple[dt.date, float | None]], target: float = 99.5) -> SafeString:
    """One bar per day, its colour by the day's availability against `target`, each with a title."""
    width, gap, height = 6, 2, 28
    bars = []
    for n, (day, percent) in enumerate(days):
        text = _("%(day)s: no data") % {"day": date_format(day)} if percent is None else \
            _("%(day)s: %(percent).3f %%") % {"day": date_format(day), "percent": percent}
        bars.append(f'<rect x="{n * (width + gap)}" y="0" width="{width}" height="{height}" rx="1" '
                    f'fill="{colour(percent, target)}"><title>{escape(text)}</title></rect>')
    total = max(len(days) * (width + gap) - gap, 1)
    label = escape(_("Availability per day"))
    return mark_safe(  # built from numbers and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" viewBox="0 0 {total} {height}" '
        f'width="100%" height="{height}" preserveAspectRatio="none">{"".join(bars)}</svg>')


def response_chart(points: Sequence[tuple[dt.datetime, float | None, float | None, float | None]]) -> SafeString:
    """Hourly min / average / max response times (ms): a band for min–max, a line for the average."""
    width, height, pad = 600, 120, 4
    values = [p for p in points if p[2] is not None]
    if not values:
        return mark_safe(f'<p class="small text-body-secondary">{escape(_("No response times yet."))}</p>')
    top = max(v[3] or v[2] or 0 for v in values) or 1.0
    first, last = values[0][0], values[-1][0]
    span = max((last - first).total_seconds(), 1)

    def xy(at: dt.datetime, ms: float) -> str:
        x = pad + (at - first).total_seconds() / span * (width - 2 * pad)
        y = height - pad - ms / top * (height - 2 * pad)
        return f"{x:.1f},{y:.1f}"

    band = [xy(at, high or 0) for at, low, _avg, high in values] + \
        [xy(at, low or 0) for at, low, _avg, high in reversed(values)]
    line = [xy(at, avg or 0) for at, _low, avg, _high in values]
    label = escape(_("Response times, up to %(top).0f ms") % {"top": top})
    return mark_safe(  # built from numbers and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
        f'width="100%" height="{height}"><title>{label}</title>'
        f'<polygon points="{" ".join(band)}" fill="#0d6efd" fill-opacity="0.15"/>'
        f'<polyline points="{" ".join(line)}" fill="none" stroke="#0d6efd" stroke-width="1.5"/></svg>')
