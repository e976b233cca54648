"""Information systems, their importance, components and where the components are deployed."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Site
from irtis.network.models import SecurityZone
from irtis.virtualization.models import Environment


@register(
    group="systems",
    columns=("code", "name", "rank", "analyse_spof", "description"),
    filters=("analyse_spof",),
    search=("code", "description"),
    key="code",
)
class ImportanceCategory(TaggedModel):
    """A step of the configurable importance scale (svarba / kategorija) of information systems.

    Not a fixed I–IV list: Res. 716 dropped the classification by importance in 2023, so the
    division sets its own scale here.
    """

    code = NameField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=1, help_text=_("1 is the most important; larger numbers are less important."),
    )
    analyse_spof = models.BooleanField(
        _("analyse single points of failure"), default=False,
        help_text=_("Systems of this category are checked for single points of failure."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("importance category")
        verbose_name_plural = _("importance categories")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@register(
    group="systems",
    columns=("code", "name", "kind", "category", "lifecycle", "rto_hours", "rpo_minutes", "availability_target"),
    filters=("kind", "category", "lifecycle", "rto_hours", "rpo_minutes"),
    search=("code", "purpose", "owner_unit", "controller", "processor", "security_officer", "description"),
    key="code",
    panels=("systems/system_panel.html",),
)
class InformationSystem(TaggedModel):
    """An information system (informacinė sistema) of customs or of the division itself, or a
    technical service (techninė paslauga) the others lean on: DNS, PKI, the directory, MFA, time,
    log collection, MDM, VoIP, backup proxies. A technical service has components, deployments
    and dependencies like any system, so its failure reaches what depends on it."""

    class Kind(models.TextChoices):
        INFORMATION_SYSTEM = "information_system", _("information system")
        TECHNICAL_SERVICE = "technical_service", _("technical service")

    class Lifecycle(models.TextChoices):
        PLANNED = "planned", _("planned")
        DEVELOPMENT = "development", _("in development")
        PRODUCTION = "production", _("in production")
        RETIRING = "retiring", _("being retired")
        RETIRED = "retired", _("retired")

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMATION_SYSTEM,
        help_text=_("A technical service is one that other systems use: DNS, PKI, directory, MFA, time …"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    category = models.ForeignKey(
        ImportanceCategory, models.PROTECT, null=True, blank=True, related_name="systems",
        verbose_name=_("importance category"),
    )
    owner_unit = models.CharField(_("owner unit"), max_length=200, blank=True)
    controller = models.CharField(_("IS controller"), max_length=200, blank=True)
    processor = models.CharField(_("IS processor"), max_length=200, blank=True)
    security_officer = models.CharField(_("security officer"), max_length=200, blank=True)
    rto_hours = models.DecimalField(
        _("RTO (hours)"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))], help_text=_("Recovery time objective."),
    )
    rpo_minutes = models.PositiveIntegerField(
        _("RPO (minutes)"), null=True, blank=True, help_text=_("Recovery point objective."),
    )
    availability_target = models.DecimalField(
        _("availability target (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PRODUCTION,
    )
    sites: "models.ManyToManyField[Site, SystemSite]" = models.ManyToManyField(
        Site, through="SystemSite", blank=True, related_name="systems", verbose_name=_("sites of use"),
        help_text=_("Border crossing points, posts and offices whose officers work in the system."),
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="responsible_for", verbose_name=_("responsible people"),
        help_text=_("Told of the system's incidents; they keep it running."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["code"]
        indexes = [collation.index("code", "systems_informationsys_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@register(
    group="systems",
    columns=("name", "system", "environment", "kind", "required_instances", "standby_for"),
    filters=("system", "environment", "kind", "required_instances"),
    search=("description",),
    key="id",
    brief=("id", "system", "name"),
    edges=(
        # Only production components can stop a system; a standby component stops nothing while
        # its primary runs: its primary has it (its loss degrades the primary, see FailoverPath).
        GraphEdge("consists_of", _("consists of"), source="system", hard_if=("environment", "production"),
                  unless="standby_for"),
        GraphEdge("has_standby", _("has standby"), source="standby_for", mode="soft"),
    ),
)
class Component(TaggedModel):
    """A part of a system in one environment: web, application, integration, database …

    `required_instances` is how many of its deployments must run for full service: with N
    required and M deployed, the component survives while at least N deployments survive.
    """

    class Kind(models.TextChoices):
        WEB = "web", _("web")
        APPLICATION = "application", _("application")
        INTEGRATION = "integration", _("integration")
        DATABASE = "database", _("database")
        BATCH = "batch", _("batch")
        FILE_TRANSFER = "file_transfer", _("file transfer")
        DIRECTORY = "directory", _("directory")
        MAIL = "mail", _("mail")
        GATEWAY = "gateway", pgettext_lazy("component", "gateway")  # an integration gateway, not a router
        OTHER = "other", _("other")

    system = models.ForeignKey(
        InformationSystem, models.CASCADE, related_name="components", verbose_name=_("information system"),
    )
    environment = models.CharField(
        _("environment"), max_length=20, choices=Environment.choices, default=Environment.PRODUCTION,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = NameField(_("name"), max_length=100, unique_with=("system", "environment"))
    required_instances = models.PositiveSmallIntegerField(
        _("instances required"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How many deployments must run for full service (the rest are redundancy)."),
    )
    standby_for = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="standbys", verbose_name=_("standby for"),
        help_text=_("This component is the disaster-recovery standby of that one (e.g. in the second data "
                    "centre); it does not keep the system running while the primary runs."),
    )
    zones = models.ManyToManyField(
        SecurityZone, blank=True, related_name="components", verbose_name=_("security zones"),
        help_text=_("The network security zones the component serves or is placed in."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["name", "environment"]
        indexes = [collation.index("name", "systems_component_lt")]

    def clean(self) -> None:
        primary = self.standby_for
        if primary is None:
            return
        if primary.pk == self.pk and self.pk is not None:
            raise ValidationError({"standby_for": _("A component cannot be its own standby.")})
        if self.system_id is not None and primary.system_id != self.system_id:
            raise ValidationError({"standby_for": _("The primary component must belong to the same system.")})
        if primary.standby_for_id is not None:
            raise ValidationError({"standby_for": _("The primary component is itself a standby.")})

    def __str__(self) -> str:  # no related objects: lists show it next to many rows
        # The label of the one choice, not get_environment_display(), which translates every
        # choice on each call: a third of the time of naming an impact's thousand components.
        try:
            environment: str | Promise = Environment(self.environment).label
        except ValueError:  # a value outside the choices, shown as it is
            environment = self.environment
        return f"{self.name} ({environment})"


@register(
    group="systems",
    columns=("component", "virtual_machine", "device", "dbms_instance", "database", "description"),
    filters=("component", "virtual_machine", "device", "dbms_instance", "database"),
    search=("description",),
    key="id",
    brief=("id", "component"),
    edges=(
        *(GraphEdge("deployed_on", _("deployed on"), target=field)
          for field in ("virtual_machine", "device", "dbms_instance", "database")),
        GraphEdge("has_instance", _("has instance"), source="component", mode="group", need="required_instances"),
    ),
)
class Deployment(TaggedModel):
    """A component running on one virtual machine, device, DBMS instance or database.

    Explicit foreign keys (not a generic relation) so impact walks join real, indexed columns.
    """

    component = models.ForeignKey(
        Component, models.CASCADE, related_name="deployments", verbose_name=_("component"),
    )
    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine", models.PROTECT, null=True, blank=True, related_name="deployments",
        verbose_name=_("virtual machine"),
    )
    device = models.ForeignKey(
        "inventory.Device", models.PROTECT, null=True, blank=True, related_name="deployments",
        verbose_name=_("device"),
    )
    dbms_instance = models.ForeignKey(
        "databases.DBMSInstance", models.PROTECT, null=True, blank=True, related_name="deployments",
        verbose_name=_("DBMS instance"),
    )
    database = models.ForeignKey(
        "databases.Database", models.PROTECT, null=True, blank=True, related_name="deployments",
        verbose_name=_("database"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    TARGETS = ("virtual_machine", "device", "dbms_instance", "database")

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["component__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(virtual_machine__isnull=False, device__isnull=True, dbms_instance__isnull=True,
                             database__isnull=True)
                    | models.Q(virtual_machine__isnull=True, device__isnull=False, dbms_instance__isnull=True,
                               database__isnull=True)
                    | models.Q(virtual_machine__isnull=True, device__isnull=True, dbms_instance__isnull=False,
                               database__isnull=True)
                    | models.Q(virtual_machine__isnull=True, device__isnull=True, dbms_instance__isnull=True,
                               database__isnull=False)
                ),
                name="deployment_one_target",
                violation_error_message=_("Choose exactly one target: a virtual machine, a device, "
                                          "a DBMS instance or a database."),
            ),
        ]

    def __str__(self) -> str:
        target = self.target
        return f"{self.component} → {target if target is not None else '—'}"

    @property
    def target(self) -> models.Model | None:
        return next((getattr(self, n) for n in self.TARGETS if getattr(self, f"{n}_id")), None)

    def clean(self) -> None:
        chosen = [n for n in self.TARGETS if getattr(self, f"{n}_id")]
        if len(chosen) != 1:
            raise ValidationError({
                (chosen[1] if len(chosen) > 1 else "virtual_machine"): _(
                    "Choose exactly one target: a virtual machine, a device, a DBMS instance or a database."),
            })


@register(
    group="systems",
    columns=("system", "site", "workstations", "fallback_procedure", "description"),
    filters=("system", "site", "fallback_procedure", "workstations"),
    search=("description",),
    key="id",
)
class SystemSite(TaggedModel):
    """An information system used at a site: how many workstations work in it there, and whether
    the site has a paper fallback procedure (veiklos tęstinumo procedūra) for its outages."""

    system = models.ForeignKey(
        InformationSystem, models.CASCADE, related_name="site_uses", verbose_name=_("information system"),
    )
    site = models.ForeignKey(Site, models.CASCADE, related_name="system_uses", verbose_name=_("site"))
    workstations = models.PositiveIntegerField(_("workstations"), null=True, blank=True)
    fallback_procedure = models.BooleanField(
        _("fallback procedure"), default=False,
        help_text=_("The site can go on working on paper while the system is down."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("site of use")
        verbose_name_plural = _("sites of use")
        ordering = ["system", "site"]
        constraints = [models.UniqueConstraint(fields=["system", "site"], name="systems_systemsite_unique")]

    def __str__(self) -> str:
        return f"{self.system.code} @ {self.site.code}"
