"""Databases (statute 2.6): DBMS instances on servers or virtual machines, and their databases."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge, Peers
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.virtualization.models import Environment


class Engine(models.TextChoices):
    ORACLE = "oracle", "Oracle Database"
    POSTGRESQL = "postgresql", "PostgreSQL"
    MSSQL = "mssql", "Microsoft SQL Server"
    MARIADB = "mariadb", "MariaDB"
    OTHER = "other", _("other")


DEFAULT_PORTS: dict[str, int] = {
    Engine.ORACLE: 1521,
    Engine.POSTGRESQL: 5432,
    Engine.MSSQL: 1433,
    Engine.MARIADB: 3306,
}


@register(
    group="inventory",
    columns=(
        "name",
        "engine",
        "software_version",
        "device",
        "virtual_machine",
        "port",
        "role",
        "cluster_name",
        "environment",
    ),
    filters=(
        "engine",
        "software_version",
        "device",
        "virtual_machine",
        "role",
        "environment",
        "team",
        "port",
    ),
    search=("cluster_name", "description"),
    edges=(
        GraphEdge("runs_on", _("runs on"), target="device"),
        GraphEdge("runs_on", _("runs on"), target="virtual_machine"),
    ),
)
class DBMSInstance(TaggedModel):
    """A running database management system (DBMS) instance on a server or a virtual machine."""

    class Role(models.TextChoices):
        STANDALONE = "standalone", _("standalone")
        PRIMARY = "primary", _("primary")
        STANDBY = "standby", _("standby")
        RAC_NODE = "rac_node", _("RAC node")
        REPLICA = "replica", _("replica")

    name = NameField(_("name"), max_length=100, unique=True)
    engine = models.CharField(_("engine"), max_length=20, choices=Engine.choices)
    software_version = models.ForeignKey(
        "inventory.SoftwareVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dbms_instances",
        verbose_name=_("version"),
    )
    device = models.ForeignKey(
        "inventory.Device",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dbms_instances",
        verbose_name=_("server"),
        help_text=_("The physical server it runs on; or choose a virtual machine."),
    )
    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dbms_instances",
        verbose_name=_("virtual machine"),
        help_text=_("The virtual machine it runs on; or choose a server."),
    )
    port = models.PositiveIntegerField(
        _("port"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(65535)],
        help_text=_("The engine's usual port when left empty."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STANDALONE)
    cluster_name = models.CharField(
        _("cluster or replica set"),
        max_length=100,
        blank=True,
        help_text=_(
            "The RAC cluster, Data Guard configuration, availability group or replica set."
        ),
    )
    environment = models.CharField(
        _("environment"),
        max_length=20,
        choices=Environment.choices,
        default=Environment.PRODUCTION,
    )
    team = models.ForeignKey(
        "inventory.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dbms_instances",
        verbose_name=_("responsible team"),
    )
    description = models.TextField(_("description"), blank=True)

    # Paths the out-of-support report (irtis.inventory.reports) follows from this model.
    support_report = {
        "version": "software_version",
        "site": "device__site",
        "team": "team",
        "fallback_team": "team",
    }

    class Meta:
        verbose_name = _("DBMS instance")
        verbose_name_plural = _("DBMS instances")
        ordering = ["name"]
        indexes = [collation.index("name", "databases_dbmsinstance_lt")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(device__isnull=False, virtual_machine__isnull=True)
                    | models.Q(device__isnull=True, virtual_machine__isnull=False)
                ),
                name="dbms_instance_one_host",
                violation_error_message=_("Choose either a server or a virtual machine, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def host(self) -> models.Model | None:
        return self.device if self.device_id else self.virtual_machine

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if not self.device_id and not self.virtual_machine_id:
            errors["device"] = _("Choose the server or the virtual machine the instance runs on.")
        elif self.device_id and self.virtual_machine_id:
            errors["virtual_machine"] = _("Choose either a server or a virtual machine, not both.")
        if self.role != self.Role.STANDALONE and not self.cluster_name:
            errors["cluster_name"] = _("Name the cluster or replica set this instance belongs to.")
        if self.role == self.Role.RAC_NODE and self.engine != Engine.ORACLE:
            errors["role"] = _("Only Oracle instances are RAC nodes.")
        if self.port is None and self.engine in DEFAULT_PORTS:
            self.port = DEFAULT_PORTS[self.engine]
        if errors:
            raise ValidationError(errors)


@register(
    group="inventory",
    columns=("name", "instance", "size_gb", "character_set", "description"),
    filters=("instance", "character_set", "size_gb"),
    search=("character_set", "description"),
    key="id",
    brief=("id", "instance", "name"),
    # On an Oracle RAC, a database lives on any node of its instance's cluster.
    edges=(GraphEdge("hosted_by", _("hosted by"), target="instance", mode="group",
                     peers=Peers("cluster_name", "role", "rac_node")),),
)
class Database(TaggedModel):
    """A database (duomenų bazė) held by a DBMS instance; its name is unique within the instance."""

    instance = models.ForeignKey(
        DBMSInstance,
        models.CASCADE,
        related_name="databases",
        verbose_name=_("DBMS instance"),
    )
    name = NameField(_("name"), max_length=128, unique_with=("instance",))
    size_gb = models.DecimalField(
        _("size (GB)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    character_set = models.CharField(
        _("character set"),
        max_length=50,
        blank=True,
        help_text=_("For example AL32UTF8, UTF8."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("database")
        verbose_name_plural = _("databases")
        ordering = ["name", "instance__name"]
        indexes = [collation.index("name", "databases_database_lt")]

    def __str__(self) -> str:
        return self.name
