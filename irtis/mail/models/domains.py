"""Accepted domains of the mail system and what their SPF, DKIM and DMARC records were found to be."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from . import lists
from .servers import MailSystem


@register(
    group="inventory",
    columns=("domain", "mail_system", "kind", "default", "dkim_selectors"),
    filters=("mail_system", "kind", "default"),
    search=("dkim_selectors", "description"),
    key="domain",
)
class AcceptedDomain(TaggedModel):
    """A domain the mail system accepts mail for (priimamas domenas)."""

    class Kind(models.TextChoices):
        AUTHORITATIVE = "authoritative", _("authoritative")
        INTERNAL_RELAY = "internal_relay", _("internal relay")
        EXTERNAL_RELAY = "external_relay", _("external relay")

    domain = NameField(_("domain"), max_length=253, unique=True)
    mail_system = models.ForeignKey(
        MailSystem, models.CASCADE, related_name="accepted_domains", verbose_name=_("mail system"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.AUTHORITATIVE)
    default = models.BooleanField(_("default"), default=False,
                                  help_text=_("The domain of addresses made for new mailboxes; one per mail system."))
    dkim_selectors = models.CharField(
        _("DKIM selectors"), max_length=200, blank=True,
        help_text=_("Comma-separated; each is checked at <selector>._domainkey.<domain>."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("accepted domain")
        verbose_name_plural = _("accepted domains")
        ordering = ["domain"]
        indexes = [collation.index("domain", "mail_accepteddomain_lt")]
        constraints = [
            models.UniqueConstraint(
                fields=["mail_system"], condition=models.Q(default=True), name="mail_one_default_domain",
                violation_error_message=_("A mail system has one default accepted domain."),
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def selectors(self) -> list[str]:
        return lists.split(self.dkim_selectors)

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().rstrip(".")
        self.dkim_selectors = lists.join(self.selectors)
        if self.default and self.mail_system_id:
            other = (AcceptedDomain.objects.filter(mail_system_id=self.mail_system_id, default=True)
                     .exclude(pk=self.pk).first())
            if other:
                raise ValidationError({"default": _(
                    "%(domain)s is already the default accepted domain of this mail system.")
                    % {"domain": other.domain}})


class DomainCheck(models.Model):
    """The SPF, DKIM and DMARC records read from DNS for an accepted domain, and their evaluation.

    Machine readings, not records people edit: one row per domain, replaced by each check (the
    check's run is in the background tasks' history)."""

    class Status(models.TextChoices):
        OK = "ok", _("in order")
        WARNING = "warning", _("warnings")
        ERROR = "error", _("errors")

    domain = models.OneToOneField(
        AcceptedDomain, models.CASCADE, related_name="dns_check", verbose_name=_("accepted domain"),
    )
    checked = models.DateTimeField(_("checked"))
    resolvers = models.CharField(_("resolvers"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    spf = models.JSONField(_("SPF records"), default=list)
    dmarc = models.JSONField(_("DMARC records"), default=list)
    dkim = models.JSONField(_("DKIM records"), default=dict, help_text=_("Selector → records."))
    findings = models.JSONField(_("findings"), default=list, help_text=_("[level, message] pairs."))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("DNS check of a mail domain")
        verbose_name_plural = _("DNS checks of mail domains")

    def __str__(self) -> str:
        return f"{self.domain_id and self.domain.domain}: {self.status}"
