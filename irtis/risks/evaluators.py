"""Automatic controls computed from findings and the risk register (irtis.security.evaluation)."""

from datetime import date, timedelta

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from irtis.security.evaluation import Deviation, Outcome, evaluator
from irtis.systems.models import InformationSystem

from . import settings as risk_settings
from .models import Finding, Risk, Severity


def _label(obj: object) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"  # type: ignore[attr-defined]


@evaluator(
    "findings_not_overdue", _("No overdue critical or high findings"),
    _("Every critical or high finding that is open or in treatment is within its due date."),
    ("LT-28", "A.8.8"),
)
def findings_not_overdue() -> Outcome:
    today = timezone.localdate()
    serious = Finding.objects.filter(status__in=Finding.UNRESOLVED, severity__in=(Severity.CRITICAL, Severity.HIGH))
    late = serious.filter(due_date__lt=today).prefetch_related("systems").order_by("due_date", "id")
    deviations = [
        Deviation(_label(f), str(f), gettext_noop("Due on %(date)s, %(severity)s"),
                  {"date": f.due_date.isoformat() if f.due_date else "", "severity": f.severity},
                  tuple(s.pk for s in f.systems.all()))
        for f in late
    ]
    return Outcome.of(serious.count(), deviations)


def _months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 365.25 / 12))


@evaluator(
    "risk_analysis_current", _("Risk analysis of important systems is current"),
    _("Every system of category I or II has an approved risk analysis performed within the last 12 months."),
    ("LT-03",),
)
def risk_analysis_current() -> Outcome:
    since = _months_ago(timezone.localdate(), risk_settings.ANALYSIS_MONTHS)
    systems = (InformationSystem.objects.exclude(lifecycle=InformationSystem.Lifecycle.RETIRED)
               .filter(category__rank__lte=risk_settings.ANALYSIS_MAX_RANK)
               .annotate(last=Max("risk_analyses__performed_on", filter=Q(risk_analyses__approved_on__isnull=False)))
               .order_by("code"))
    deviations = []
    for system in systems:
        if system.last is None:
            deviations.append(Deviation(_label(system), str(system), gettext_noop("No approved risk analysis"),
                                        systems=(system.pk,)))
        elif system.last < since:
            deviations.append(Deviation(_label(system), str(system), gettext_noop("Last analysed on %(date)s"),
                                        {"date": system.last.isoformat()}, (system.pk,)))
    return Outcome.of(len(systems), deviations)


@evaluator(
    "risks_treated", _("Risks above appetite have a treatment"),
    _("Every risk whose level (likelihood × impact) is above the risk appetite has a treatment chosen, "
      "with measures unless it is accepted."),
    ("LT-03",),
)
def risks_treated() -> Outcome:
    appetite = risk_settings.appetite()
    risks = [r for r in Risk.objects.select_related("system").order_by("system__code", "id") if r.level > appetite]
    deviations = [
        Deviation(_label(r), str(r), gettext_noop("Level %(level)s above appetite %(appetite)s without treatment"),
                  {"level": r.level, "appetite": appetite}, (r.system_id,))
        for r in risks if not r.treatment
    ]
    return Outcome.of(len(risks), deviations, appetite=appetite)


