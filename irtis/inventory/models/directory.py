"""E-mail as a managed service (statute 2.8); Active Directory moved to irtis.directory."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .devices import Device
from .software import SoftwareVersion


@register(
    group="inventory",
    columns=("name", "software_version", "domains"),
    filters=("software_version",),
    search=("domains", "description"),
)
class MailSystem(TaggedModel):
    """An e-mail system (e.g. the Exchange organisation) and the mail domains it serves."""

    name = NameField(_("name"), max_length=100, unique=True)
    software_version = models.ForeignKey(
        SoftwareVersion, models.PROTECT, null=True, blank=True, related_name="mail_systems",
        verbose_name=_("product version"),
    )
    domains = models.CharField(_("mail domains"), max_length=500, help_text=_("Comma-separated."))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mail system")
        verbose_name_plural = _("mail systems")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_mailsystem_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        names = [d for d in re.split(r"[\s,]+", self.domains.lower()) if d]
        self.domains = ", ".join(dict.fromkeys(names))


@register(
    group="inventory",
    columns=("name", "mail_system", "role", "device"),
    filters=("mail_system", "role", "device"),
    search=("description",),
)
class MailServer(TaggedModel):
    """A server of a mail system; `device` is set when it is a physical server."""

    class Role(models.TextChoices):
        MAILBOX = "mailbox", _("mailbox server")
        EDGE = "edge", _("edge transport")
        GATEWAY = "gateway", _("mail gateway")
        OTHER = "other", _("other")

    mail_system = models.ForeignKey(MailSystem, models.CASCADE, related_name="servers", verbose_name=_("mail system"))
    name = NameField(_("host name"), max_length=100, unique=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MAILBOX)
    device = models.ForeignKey(
        Device, models.PROTECT, null=True, blank=True, related_name="mail_servers", verbose_name=_("device"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mail server")
        verbose_name_plural = _("mail servers")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_mailserver_lt")]

    def __str__(self) -> str:
        return self.name
