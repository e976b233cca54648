"""The management report of a period written once (`content`) and produced as PDF and DOCX by
architecture's report writers; each file's generation is audited as `document_generated`."""

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from irtis.architecture import report
from irtis.architecture.report import Writer

from . import charts
from .models import Recommendation
from .periods import Period
from .sections import Part

CHART_CM = 16.0  # the charts' width on an A4 page within its margins


def title(period: Period) -> str:
    return _("Management report: %(period)s") % {"period": period.label}


def content(period: Period, parts: list[Part], generated: dt.datetime) -> Callable[[Writer], None]:
    def write(out: Writer) -> None:
        out.heading(title(period), level=0)
        out.paragraph(_("Period: %(first)s – %(last)s. Generated %(time)s by irtis.") % {
            "first": period.first, "last": period.last,
            "time": date_format(timezone.localtime(generated), "DATETIME_FORMAT")})
        for number, part in enumerate(parts, start=1):
            out.heading(f"{number}. {part.title}", level=1)
            out.paragraph(_("Source: %(capability)s.") % {"capability": part.source}
                          + (f" {part.note}" if part.note else ""))
            if part.empty:
                out.paragraph(part.empty)
                continue
            if part.facts:
                out.table([_("Figure"), _("Value")], [[name, value] for name, value in part.facts], [10, 6])
            for chart in part.charts:
                if chart.bars:
                    out.picture(chart.title, str(charts.svg(chart)), partial(charts.png, chart), CHART_CM)
            for table in part.tables:
                out.heading(table.caption, level=2)
                out.table(table.columns, table.rows)
    return write


def files(period: Period, parts: list[Part], generated: dt.datetime) -> dict[str, bytes]:
    """The report as {"pdf": …, "docx": …}, both from the one reading of the sections."""
    write = content(period, parts, generated)
    return {fmt: report.write(fmt, title(period), write) for fmt in report.FORMATS}


def audit(period: Period, made: dict[str, bytes]) -> None:
    """Record each file's generation with its hash (the report is about no one object: its
    entries name the recommendations' model and the period)."""
    for fmt, body in made.items():
        report.record(body, fmt, Recommendation, "management_report", label=title(period), period=period.code)


def filename(period: Period, fmt: str) -> str:
    return f"irtis-ataskaita-{period.code}.{fmt}"
