"""Certificates of the mail servers (SMTP, IIS, IMAP…), their expiry reported on a page."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from . import lists
from .servers import MailServer

WARNING_DAYS = 30
SERVICES = {s.lower(): s for s in ("SMTP", "IIS", "IMAP", "POP", "UM", "UMCallRouter", "Federation")}
THUMBPRINT = re.compile(r"[0-9A-F]{40}")


@register(
    group="inventory",
    columns=("subject", "thumbprint", "services", "not_after", "issuer", "servers"),
    filters=("not_after", "issuer"),
    search=("subject", "sans", "issuer", "services"),
    key="thumbprint",
)
class MailCertificate(TaggedModel):
    """An X.509 certificate installed on mail servers and bound to their services."""

    subject = models.CharField(_("subject"), max_length=300)
    sans = models.CharField(
        _("subject alternative names"), max_length=1000, blank=True, help_text=_("DNS names, comma-separated."),
    )
    thumbprint = NameField(_("thumbprint"), max_length=64, unique=True,  # typed with colons or spaces: cut to 40
                           help_text=_("SHA-1 of the certificate: 40 hexadecimal digits."))
    services = models.CharField(
        _("services"), max_length=100, blank=True,
        help_text=_("Comma-separated: SMTP, IIS, IMAP, POP, UM, UMCallRouter, Federation."),
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    not_before = models.DateField(_("valid from"))
    not_after = models.DateField(_("valid until"))
    servers = models.ManyToManyField(
        MailServer, blank=True, related_name="certificates", verbose_name=_("servers"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mail certificate")
        verbose_name_plural = _("mail certificates")
        ordering = ["not_after", "thumbprint"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.thumbprint[:8]})"

    def clean(self) -> None:
        self.thumbprint = re.sub(r"[\s:]", "", self.thumbprint or "").upper()
        if not THUMBPRINT.fullmatch(self.thumbprint):
            raise ValidationError({"thumbprint": _("A thumbprint is 40 hexadecimal digits (SHA-1).")})
        self.sans = lists.join(lists.split(self.sans))
        services = lists.split(self.services)
        unknown = [s for s in services if s not in SERVICES]
        if unknown:
            raise ValidationError({"services": _("Unknown services: %(services)s") % {"services": ", ".join(unknown)}})
        self.services = lists.join([SERVICES[s] for s in services])
        if self.not_before and self.not_after and self.not_after < self.not_before:
            raise ValidationError({"not_after": _("A certificate cannot expire before it becomes valid.")})

    @property
    def days_left(self) -> int:
        return (self.not_after - timezone.localdate()).days

    @property
    def expiry_state(self) -> str:
        """"expired", "expiring" (within WARNING_DAYS) or "valid"."""
        days = self.days_left
        return "expired" if days < 0 else "expiring" if days <= WARNING_DAYS else "valid"


def expiring(queryset: models.QuerySet, days: int = WARNING_DAYS) -> models.QuerySet:
    """Certificates expiring within `days` days from today, the expired ones included."""
    return queryset.filter(not_after__lte=timezone.localdate() + datetime.timedelta(days=days))
