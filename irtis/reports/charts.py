"""Horizontal bar charts of the report, described once and drawn twice: as SVG (the dashboard and
the PDF, where WeasyPrint keeps it as vectors) and as PNG through Pillow (the DOCX: Word shows no
SVG without a raster fallback, and python-docx writes no native charts). Both drawings are made
from numbers and escaped text only."""

import io
from dataclasses import dataclass
from functools import cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageDraw, ImageFont

LABEL, BARS, VALUE, ROW, BAR, TOP = 220, 360, 70, 18, 12, 6  # px of the SVG; the PNG is drawn at SCALE×
SCALE = 3
FONT_FILE = "DejaVuSans.ttf"  # fonts-dejavu-core, as the PDF: every Lithuanian letter
COLOURS = {"blue": "#0d6efd", "green": "#198754", "amber": "#fd7e14", "red": "#dc3545", "grey": "#6c757d"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown ("99,95 %", "12 h")
    colour: str = "blue"  # a key of COLOURS


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    maximum: float | None = None  # the scale's end (100 for percentages); else the largest value

    @property
    def width(self) -> int:
        return LABEL + BARS + VALUE

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * len(self.bars)

    def _length(self, value: float) -> float:
        top = self.maximum if self.maximum is not None else max((b.value for b in self.bars), default=0)
        return 0.0 if top <= 0 else max(0.0, min(1.0, value / top)) * BARS


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(chart: Chart) -> SafeString:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width}" height="{chart.height}" '
             f'viewBox="0 0 {chart.width} {chart.height}" role="img" aria-label="{escape(chart.title)}" '
             f'font-family="DejaVu Sans, sans-serif" font-size="10">']
    for n, bar in enumerate(chart.bars):
        y = TOP + n * ROW
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + BAR - 2}" text-anchor="end" fill="#212529">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{LABEL}" y="{y}" width="{BARS}" height="{BAR}" fill="#f1f3f5"/>'
            f'<rect x="{LABEL}" y="{y}" width="{chart._length(bar.value):.1f}" height="{BAR}" '
            f'fill="{COLOURS[bar.colour]}"/>'
            f'<text x="{LABEL + BARS + 6}" y="{y + BAR - 2}" fill="#212529">{escape(bar.text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILE, size)


def png(chart: Chart) -> bytes:
    """The same chart as a PNG at SCALE times the SVG's pixels (sharp when printed)."""
    image = Image.new("RGB", (chart.width * SCALE, chart.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(10 * SCALE)
    for n, bar in enumerate(chart.bars):
        y = (TOP + n * ROW) * SCALE
        middle = y + BAR * SCALE // 2
        draw.text(((LABEL - 6) * SCALE, middle), _short(bar.label), font=font, fill="#212529", anchor="rm")
        draw.rectangle([LABEL * SCALE, y, (LABEL + BARS) * SCALE, y + BAR * SCALE], fill="#f1f3f5")
        length = chart._length(bar.value) * SCALE
        if length >= 1:
            draw.rectangle([LABEL * SCALE, y, LABEL * SCALE + length, y + BAR * SCALE], fill=COLOURS[bar.colour])
        draw.text(((LABEL + BARS + 6) * SCALE, middle), bar.text, font=font, fill="#212529", anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
