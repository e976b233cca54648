"""A regulating document as DOCX (the architecture reports' writer): title, kind and status, the
version, its numbered paragraphs and the approval route with its decisions and dates."""

from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.architecture import common, report

from . import route
from .models import Document, Version


def document(doc: Document, version: Version) -> bytes:
    def content(word: report.Writer) -> None:
        word.heading(doc.title, level=0)
        word.paragraph(
            _("%(kind)s, version %(number)s of %(date)s (%(status)s)")
            % {
                "kind": doc.get_kind_display(),
                "number": version.number,
                "date": common.text(timezone.localdate(version.created)),
                "status": doc.get_status_display(),
            }
        )
        for number, text in enumerate(version.paragraphs, 1):
            word.paragraph(f"{number}. {text}")
        word.heading(_("Approval route"))
        rows = [
            (
                s.step.position,
                s.step.decider,
                s.decision.get_decision_display() if s.decision else _("waiting") if s.waiting else "—",
                str(s.decision.user) if s.decision else "",
                common.text(s.decision.time) if s.decision else "",
                s.decision.reason if s.decision else "",
            )
            for s in route.state(doc)
        ]
        word.table(
            [_("Step"), _("Decides"), _("Decision"), _("By"), _("Date"), _("Reason")], rows, [1.2, 4, 2.3, 3, 3, 3.5]
        )

    return report.write("docx", doc.title, content)


def filename(doc: Document, version: Version) -> str:
    return f"dokumentas-{doc.pk}-v{version.number}.docx"
