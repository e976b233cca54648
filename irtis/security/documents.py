"""The statement of applicability as a document: print HTML (the PDF, by WeasyPrint as the
architecture descriptions are) and an XLSX workbook (openpyxl, as list exports are)."""

from typing import Any

import tablib
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.architecture import pdf
from irtis.core.exports import xlsx

from .dashboard import soa
from .messages import status_label
from .models import Framework


def soa_html(framework: Framework, user: Any, extra: dict[str, Any] | None = None) -> str:
    return render_to_string("security/soa_print.html", {
        "framework": framework, "rows": soa(framework, user), "now": timezone.now(), **(extra or {}),
    })


def soa_pdf(framework: Framework, user: Any, extra: dict[str, Any] | None = None) -> bytes:
    """Raises pdf.PDFUnavailable where WeasyPrint cannot run."""
    return pdf.write_pdf(soa_html(framework, user, extra))


def soa_xlsx(framework: Framework, user: Any) -> bytes:
    data = tablib.Dataset(headers=[_("Requirement"), _("Title"), _("Topic"), _("Applicable"), _("Controls"),
                                   _("Status"), _("Last evaluated"), _("Exclusions")])
    for row in soa(framework, user):
        requirement = row["requirement"]
        applicable = "" if row["applicable"] is None else _("yes") if row["applicable"] else _("no")
        times = [r.time for _c, r in row["controls"] if r is not None]
        data.append([
            requirement.code, requirement.title, requirement.topic, applicable,
            "; ".join(c.code for c, _r in row["controls"]),
            status_label(row["status"]) if row["status"] else _("not covered"),
            timezone.localtime(max(times)).strftime("%Y-%m-%d %H:%M") if times else "",
            "; ".join(f"{e.system.code}: {e.justification}" for e in row["exclusions"]),
        ])
    return xlsx(data, framework.code)
