"""Lithuanian documents of procurement as DOCX or PDF (`irtis.architecture.report`): the technical
specification (techninė specifikacija) in the form public procurement documents use (a numbered
table: No., requirement, kind, how compliance is proven) and the offer evaluation report.
"""

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from irtis.architecture import report
from irtis.architecture.report import Writer

from .evaluation import Result
from .models import Specification
from .sla import SupplierTotal


def _specification(spec: Specification, word: Writer) -> None:
    word.heading(_("TECHNICAL SPECIFICATION"), level=0)
    word.paragraph(f"{spec.title}")
    status = spec.get_status_display()
    approved = (_("approved on %(date)s") % {"date": date_format(spec.approved_on, "DATE_FORMAT")}
                if spec.approved_on else status)
    word.paragraph(_("Code %(code)s, version %(version)s (%(status)s)")
                   % {"code": spec.code, "version": spec.revision, "status": approved})
    if spec.purpose:
        word.heading(_("1. Purpose of the purchase"))
        word.paragraph(spec.purpose)
    word.heading(_("2. Requirements"))
    word.paragraph(_("Mandatory requirements must all be met; an offer that does not meet one is rejected. "
                     "Evaluated requirements are scored by the quality criteria."))
    rows: list[list[str]] = []
    section = None
    for req in spec.requirements.all():
        if req.section and req.section != section:
            section = req.section
            rows.append(["", section, "", ""])
        rows.append([str(req.number), req.text, req.get_kind_display(), req.proof])
    word.table([_("No."), _("Requirement"), _("Kind"), _("How compliance is proven")], rows, [1.2, 8.8, 2.5, 4.5])
    word.heading(_("3. Proof of compliance"))
    word.paragraph(_("The supplier gives, for each requirement, the page of its offer where compliance is shown."))


def specification(spec: Specification, fmt: str = "docx", language: str = "lt") -> bytes:
    """The specification as a DOCX or PDF in `language` (Lithuanian for the procurement documents)."""
    with translation.override(language):
        return report.write(fmt, str(spec), lambda word: _specification(spec, word))


def _evaluation(result: Result, word: Writer) -> None:
    procurement = result.procurement
    word.heading(_("OFFER EVALUATION REPORT"), level=0)
    word.paragraph(f"{procurement.name} — {procurement.specification}")
    word.heading(_("1. Criteria"))
    word.table([_("Criterion"), _("Kind"), _("Weight")],
               [[c.name, c.get_kind_display(), f"{c.weight}"] for c in result.criteria], [9, 4, 4])
    word.paragraph(_("Price score = lowest price ÷ offer's price × price weight; quality score = mean of the "
                     "evaluators' points ÷ maximum points × criterion weight."))
    word.heading(_("2. Ranking"))
    rows = []
    for line in result.ranking:
        flags = []
        if line.abnormally_low:
            flags.append(_("abnormally low price"))
        if not line.compliant:
            flags.append(_("does not meet mandatory requirements"))
        rows.append([str(line.rank or "—"), str(line.offer.supplier), f"{line.offer.price:.2f}",
                     f"{line.price_score:.2f}", f"{line.quality_score:.2f}", f"{line.total:.2f}", "; ".join(flags)])
    word.table([_("Rank"), _("Supplier"), _("Price"), _("Price score"), _("Quality score"), _("Total"), _("Notes")],
               rows, [1.2, 4.5, 2.3, 2, 2, 2, 3])
    word.heading(_("3. Disagreements between evaluators"))
    if result.disagreements:
        word.table([_("Supplier"), _("Criterion"), _("Lowest"), _("Highest")],
                   [[str(d.offer.supplier), d.criterion.name, f"{d.low}", f"{d.high}"] for d in result.disagreements],
                   [6, 6, 2.5, 2.5])
    else:
        word.paragraph(_("None above the threshold."))
    word.heading(_("4. Evaluators"))
    for declaration in result.declarations:
        word.paragraph(_("%(name)s declared impartiality on %(date)s.") % {
            "name": declaration.evaluator.get_full_name() or declaration.evaluator.get_username(),
            "date": date_format(timezone.localdate(declaration.declared_at), "DATE_FORMAT")})


def evaluation_report(result: Result, fmt: str = "docx", language: str = "lt") -> bytes:
    """The evaluation report of a procurement as DOCX or PDF."""
    with translation.override(language):
        return report.write(fmt, str(result.procurement), lambda word: _evaluation(result, word))


def _money(value: object) -> str:
    return f"{value:.2f}".replace(".", ",")


def _or_dash(value: object, suffix: str = "") -> str:
    return "—" if value is None else f"{value}{suffix}".replace(".", ",")


def _statement(total: SupplierTotal, word: Writer) -> None:
    supplier = total.supplier
    first, last = total.months[0].start, total.months[-1].start
    word.heading(_("SERVICE LEVEL STATEMENT"), level=0)
    word.paragraph(_("Supplier: %(supplier)s") % {"supplier": supplier.name})
    word.paragraph(_("Period: %(first)s – %(last)s") % {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"})
    word.heading(_("1. Totals per month"))
    word.table([_("Month"), _("Lowest availability"), _("Incidents"), _("Late responses"), _("Late resolutions"),
                _("Breaches"), _("Penalty")],
               [[m.start.strftime("%Y-%m"), _or_dash(m.lowest, " %"), str(m.incidents), str(m.late_responses),
                 str(m.late_resolutions), str(m.breaches), _money(m.penalty)] for m in total.months]
               + [[_("Total"), "", "", "", "", str(total.breaches), _money(total.total)]],
               [2, 2.6, 2, 2.2, 2.2, 2, 2.5])
    for n, line in enumerate(total.services, 2):
        service = line.service
        contract = service.contract if service.contract_id else None
        word.heading(f"{n}. {service.name}")
        terms = [_("Contract: %(contract)s") % {"contract": contract or "—"},
                 _("availability target: %(target)s") % {"target": _or_dash(service.target, " %")}]
        if contract:
            terms.append(_("response time: %(hours)s h") % {"hours": _or_dash(contract.response_hours)})
            terms.append(_("resolution time: %(hours)s h") % {"hours": _or_dash(contract.resolution_hours)})
            terms.append(_("in working hours") if contract.working_hours else _("around the clock"))
        word.paragraph("; ".join(terms) + ".")
        word.table([_("Month"), _("Availability"), _("Downtime (min)"), _("Incidents"), _("Mean response (h)"),
                    _("Mean resolution (h)"), _("Late responses"), _("Late resolutions"), _("Penalty")],
                   [[m.start.strftime("%Y-%m"), _or_dash(m.measured, " %"), str(m.down_minutes), str(m.incidents),
                     _or_dash(m.response_hours), _or_dash(m.resolution_hours), str(m.late_responses),
                     str(m.late_resolutions), _money(m.penalty)] for m in line.months],
                   [1.6, 2, 1.7, 1.6, 1.9, 1.9, 1.8, 1.8, 1.9])
    word.paragraph(_("Availability from irtis's monitoring records, in the service hours of the measured system, "
                     "approved maintenance excluded; response and resolution times from its incidents."))


def supplier_statement(total: SupplierTotal, fmt: str = "docx", language: str = "lt") -> bytes:
    """A supplier's service level statement as DOCX or PDF."""
    with translation.override(language):
        return report.write(fmt, str(total.supplier), lambda word: _statement(total, word))
