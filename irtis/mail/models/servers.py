"""The mail system (the Exchange organisation) and its servers, moved from irtis.inventory with their
tables (`db_table`), content types and so their permissions and audit history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Device, SoftwareVersion
from irtis.virtualization.models import VirtualMachine

from . import lists


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
        db_table = "inventory_mailsystem"
        verbose_name = _("mail system")
        verbose_name_plural = _("mail systems")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_mailsystem_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.domains = lists.join(lists.split(self.domains))


@register(
    group="inventory",
    columns=("name", "mail_system", "role", "device", "virtual_machine"),
    filters=("mail_system", "role", "device", "virtual_machine"),
    search=("description",),
)
class MailServer(TaggedModel):
    """A server of a mail system, running on a physical `device` or a `virtual_machine` (or either unknown)."""

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
    virtual_machine = models.ForeignKey(
        VirtualMachine, models.PROTECT, null=True, blank=True, related_name="mail_servers",
        verbose_name=_("virtual machine"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        db_table = "inventory_mailserver"
        verbose_name = _("mail server")
        verbose_name_plural = _("mail servers")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_mailserver_lt")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(device__isnull=True) | models.Q(virtual_machine__isnull=True),
                name="mail_server_device_or_vm",
                violation_error_message=_("A mail server runs on a device or on a virtual machine, not on both."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.device_id and self.virtual_machine_id:
            raise ValidationError({"virtual_machine": _(
                "A mail server runs on a device or on a virtual machine, not on both.")})
