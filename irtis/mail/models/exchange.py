"""Exchange high availability: database availability groups (DAG), mailbox databases and their copies."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .servers import MailServer, MailSystem

MIN_HEALTHY_COPIES = 2  # a database with fewer healthy copies survives no server's loss


@register(
    group="inventory",
    columns=("name", "mail_system", "witness_server", "members"),
    filters=("mail_system",),
    search=("witness_server", "description"),
)
class DatabaseAvailabilityGroup(TaggedModel):
    """A DAG (duomenų bazių pasiekiamumo grupė): mailbox servers replicating each other's databases."""

    name = NameField(_("name"), max_length=64, unique=True)
    mail_system = models.ForeignKey(
        MailSystem, models.CASCADE, related_name="dags", verbose_name=_("mail system"),
    )
    witness_server = models.CharField(
        _("witness server"), max_length=255, blank=True,
        help_text=_("The file server keeping the quorum witness share."),
    )
    witness_directory = models.CharField(_("witness directory"), max_length=255, blank=True)
    members = models.ManyToManyField(
        MailServer, blank=True, related_name="dags", verbose_name=_("member servers"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("database availability group")
        verbose_name_plural = _("database availability groups")
        ordering = ["name"]
        indexes = [collation.index("name", "mail_dag_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="inventory",
    columns=("name", "dag", "description"),
    filters=("dag",),
    search=("description",),
)
class MailboxDatabase(TaggedModel):
    """A mailbox database of a DAG; its copies live on the DAG's member servers."""

    name = NameField(_("name"), max_length=64, unique=True)
    dag = models.ForeignKey(
        DatabaseAvailabilityGroup, models.CASCADE, related_name="databases",
        verbose_name=_("database availability group"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mailbox database")
        verbose_name_plural = _("mailbox databases")
        ordering = ["name"]
        indexes = [collation.index("name", "mail_mailboxdatabase_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="inventory",
    columns=("database", "server", "activation_preference", "status", "copy_queue_length",
             "replay_queue_length", "last_inspected"),
    filters=("database", "server", "status"),
    key="id",
)
class DatabaseCopy(TaggedModel):
    """A copy of a mailbox database on one member server of its DAG, as last inspected."""

    class Status(models.TextChoices):
        MOUNTED = "mounted", _("mounted (active)")
        HEALTHY = "healthy", _("healthy")
        INITIALIZING = "initializing", _("initializing")
        RESYNCHRONIZING = "resynchronizing", _("resynchronizing")
        SUSPENDED = "suspended", _("suspended")
        FAILED = "failed", pgettext_lazy("database copy", "failed")
        FAILED_SUSPENDED = "failed_suspended", _("failed and suspended")

    HEALTHY_STATES = (Status.MOUNTED, Status.HEALTHY)

    database = models.ForeignKey(
        MailboxDatabase, models.CASCADE, related_name="copies", verbose_name=_("mailbox database"),
    )
    server = models.ForeignKey(
        MailServer, models.PROTECT, related_name="database_copies", verbose_name=_("server"),
    )
    activation_preference = models.PositiveSmallIntegerField(
        _("activation preference"), default=1, validators=[MinValueValidator(1)],
        help_text=_("1 is the copy activated first."),
    )
    status = models.CharField(_("copy status"), max_length=20, choices=Status.choices, default=Status.HEALTHY)
    copy_queue_length = models.PositiveIntegerField(_("copy queue length"), default=0)
    replay_queue_length = models.PositiveIntegerField(_("replay queue length"), default=0)
    last_inspected = models.DateTimeField(_("last inspected"), null=True, blank=True)

    class Meta:
        verbose_name = _("database copy")
        verbose_name_plural = _("database copies")
        ordering = ["database", "activation_preference"]
        constraints = [
            models.UniqueConstraint(fields=["database", "server"], name="mail_copy_database_server"),
            models.UniqueConstraint(fields=["database", "activation_preference"], name="mail_copy_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.database_id and self.database.name} – {self.server_id and self.server.name}"

    @property
    def healthy(self) -> bool:
        return self.status in self.HEALTHY_STATES

    def clean(self) -> None:
        if not (self.database_id and self.server_id):
            return
        dag = self.database.dag
        if not dag.members.filter(pk=self.server_id).exists():
            raise ValidationError({"server": _(
                "%(server)s is not a member of the database availability group %(dag)s.")
                % {"server": self.server, "dag": dag}})
