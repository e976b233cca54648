"""Send and receive connectors of the mail system's transport."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from . import lists
from .servers import MailServer, MailSystem


@register(
    group="inventory",
    columns=("name", "mail_system", "kind", "address_spaces", "smart_hosts", "fqdn", "require_tls", "enabled"),
    filters=("mail_system", "kind", "require_tls", "enabled"),
    search=("address_spaces", "smart_hosts", "fqdn", "description"),
)
class Connector(TaggedModel):
    """A send connector (to address spaces, directly or through smart hosts) or a receive connector."""

    class Kind(models.TextChoices):
        SEND = "send", _("send")
        RECEIVE = "receive", _("receive")

    name = NameField(_("name"), max_length=100, unique=True)
    mail_system = models.ForeignKey(
        MailSystem, models.CASCADE, related_name="connectors", verbose_name=_("mail system"),
    )
    kind = models.CharField(_("direction"), max_length=10, choices=Kind.choices)
    address_spaces = models.CharField(
        _("address spaces"), max_length=500, blank=True,
        help_text=_("Send connectors: the domains mail goes to, comma-separated (* for any)."),
    )
    smart_hosts = models.CharField(
        _("smart hosts"), max_length=500, blank=True,
        help_text=_("Send connectors: hosts relaying the mail, comma-separated; empty: delivered by MX records."),
    )
    fqdn = models.CharField(
        _("FQDN"), max_length=255, blank=True, help_text=_("The name given in HELO/EHLO and on the certificate."),
    )
    require_tls = models.BooleanField(_("TLS required"), default=True)
    source_servers = models.ManyToManyField(
        MailServer, blank=True, related_name="connectors", verbose_name=_("source servers"),
        help_text=_("Send connectors: the servers sending; receive connectors: the servers listening."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")
        ordering = ["name"]
        indexes = [collation.index("name", "mail_connector_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.address_spaces = lists.join(lists.split(self.address_spaces))
        self.smart_hosts = lists.join(lists.split(self.smart_hosts))
        self.fqdn = self.fqdn.strip().lower()
        if self.kind == self.Kind.SEND and not self.address_spaces:
            raise ValidationError({"address_spaces": _("A send connector needs at least one address space.")})
        if self.kind == self.Kind.RECEIVE and (self.address_spaces or self.smart_hosts):
            field = "address_spaces" if self.address_spaces else "smart_hosts"
            raise ValidationError({field: _("A receive connector has no address spaces or smart hosts.")})
