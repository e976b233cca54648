"""Scheduled work: alerts 90, 60 and 30 days before a contract's expiry and its notice date.

"Alert of contract deadlines" takes no arguments, so Administration → Schedules can start it
every morning. Each threshold of each deadline is told once (`ContractAlert`); a deadline
passed unseen (the job did not run for a while) is told at the nearest threshold only.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.notifications.events import notify
from irtis.tasks.runs import job

from .models import Contract, ContractAlert

THRESHOLDS = (90, 60, 30)
ROLE = "procurement"  # told when a contract has no supervisor (irtis.identity.roles)


def due(today: date) -> list[tuple[Contract, str, date, int]]:
    """(contract, deadline, its date, threshold) of every alert due today and not yet sent."""
    horizon = today.toordinal() + max(THRESHOLDS)
    contracts = Contract.objects.filter(status=Contract.Status.ACTIVE, end__gte=today,
                                        end__lte=date.fromordinal(horizon + 3650)).select_related("owner")
    sent = {(a.contract_id, a.deadline, a.on, a.threshold) for a in ContractAlert.objects.filter(on__gte=today)}
    result = []
    for contract in contracts:
        for deadline, on in ((ContractAlert.Deadline.EXPIRY, contract.end),
                             (ContractAlert.Deadline.NOTICE, contract.notice_date)):
            if on is None or on < today:
                continue
            left = (on - today).days
            crossed = [t for t in THRESHOLDS if left <= t]
            if not crossed:
                continue
            threshold = min(crossed)
            if any((contract.pk, deadline, on, t) in sent for t in THRESHOLDS if t <= threshold):
                continue
            result.append((contract, str(deadline), on, threshold))
    return result


@job(label=gettext_lazy("Alert of contract deadlines"), schedulable=True)
def alert_contract_deadlines(run: Any) -> dict[str, Any]:
    today = timezone.localdate()
    told = 0
    labels = {ContractAlert.Deadline.EXPIRY: _("expiry"), ContractAlert.Deadline.NOTICE: _("notice date")}
    for contract, deadline, on, threshold in due(today):
        context = {"deadline": str(labels[ContractAlert.Deadline(deadline)]), "date": on.isoformat(),
                   "days": (on - today).days, "threshold": threshold}
        sent = notify("procurement.contract_deadline", users=[contract.owner], obj=contract, context=context) \
            if contract.owner else []
        if not sent:
            sent = notify("procurement.contract_deadline", roles=[ROLE], obj=contract, context=context)
        try:
            with transaction.atomic():
                ContractAlert.objects.create(contract=contract, deadline=deadline, on=on, threshold=threshold)
        except IntegrityError:  # another run told it meanwhile
            continue
        told += bool(sent)
    return {"notified": told}
