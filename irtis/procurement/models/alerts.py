"""What contract alerts were sent, so that each threshold of a deadline is told once."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core.models import BaseModel

from .contracts import Contract


class ContractAlert(BaseModel):
    """One alert sent: `threshold` days (90/60/30) before the contract's `deadline` (expiry or notice)
    falling on `on`. A moved deadline (an amendment) is a new date, so it is told again."""

    class Deadline(models.TextChoices):
        EXPIRY = "expiry", _("expiry")
        NOTICE = "notice", _("notice date")

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="+", verbose_name=_("contract"))
    deadline = models.CharField(_("deadline"), max_length=10, choices=Deadline.choices)
    on: models.DateField[date, date] = models.DateField(_("date"))
    threshold = models.PositiveSmallIntegerField(_("days before"))
    sent = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract alert")
        verbose_name_plural = _("contract alerts")
        constraints = [models.UniqueConstraint(fields=["contract", "deadline", "on", "threshold"],
                                               name="procurement_contract_alert_once")]
