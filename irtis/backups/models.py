"""Backups (atsarginės kopijos, statute 2.7, 2.10): policies per protected object, the repositories
the tools write to, the snapshots they report and the restore drills (atkūrimo pratybos) irtis runs."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.systems.models import Deployment, InformationSystem
from irtis.tasks.models import queue_choices

from . import defaults


class Tool(models.TextChoices):
    RESTIC = "restic", "restic"
    BORG = "borg", "BorgBackup"
    PGBACKREST = "pgbackrest", "pgBackRest"
    PGDUMP = "pgdump", _("PostgreSQL dumps with manifests")
    FILE = "file", _("exported file (CSV/JSON)")


@register(
    group="operations",
    columns=("name", "tool", "location", "site", "immutable", "offline", "queue", "last_ingested_at"),
    filters=("tool", "site", "immutable", "offline"),
    search=("location", "description"),
    panels=("backups/repository_panel.html",),
)
class BackupRepository(TaggedModel):
    """Where a backup tool keeps its copies: a restic or Borg repository, a pgBackRest stanza, a
    directory of PostgreSQL dumps with their manifests (pgdump.py), or a file exported by another
    tool (Veeam, Bacula, RMAN). Its password is kept apart, encrypted
    (`RepositorySecret`), and is set only through its own form."""

    name = NameField(_("name"), max_length=100, unique=True)
    tool = models.CharField(_("tool"), max_length=20, choices=Tool.choices)
    location = models.CharField(
        _("location"), max_length=500,
        help_text=_("The repository's path or URL as the tool takes it; for pgBackRest the stanza, or "
                    "stanza@configuration file; for PostgreSQL dumps their directory; or the path of the "
                    "exported file."),
    )
    site = models.ForeignKey(
        "inventory.Site", models.PROTECT, null=True, blank=True, related_name="backup_repositories",
        verbose_name=_("site"), help_text=_("The data centre or site that holds the copies."),
    )
    immutable = models.BooleanField(_("immutable"), default=False, help_text=_("Copies cannot be changed or deleted."))
    offline = models.BooleanField(_("offline"), default=False, help_text=_("Kept offline or on tape."))
    queue = models.CharField(
        _("worker queue"), max_length=32, default="default", choices=queue_choices,
        help_text=_("The queue of the zone whose worker reaches the repository."),
    )
    last_ingested_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    wal_archive = models.CharField(
        _("WAL archive"), max_length=200, blank=True, editable=False,
        help_text=_("pgBackRest: the oldest and newest WAL segment archived, as of the last reading."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("backup repository")
        verbose_name_plural = _("backup repositories")
        ordering = ["name"]
        indexes = [collation.index("name", "backups_repository_lt")]

    def __str__(self) -> str:
        return self.name


class RepositorySecret(models.Model):
    """A repository's password, AES-GCM encrypted with the key outside the database (keys.py).

    Not registered: no page, API field, export or audit diff ever carries it; setting it is
    audited as an event without the value."""

    repository = models.OneToOneField(BackupRepository, models.CASCADE, primary_key=True, related_name="secret")
    ciphertext = models.BinaryField()
    key_id = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.repository_id}: ***"


@register(
    group="operations",
    columns=("name", "object_type", "object_id", "system", "repository", "rpo_minutes", "rto_hours",
             "copies", "copy_site", "drill_every_days"),
    filters=("system", "repository", "object_type", "object_id", "copy_site", "immutable", "offline", "encrypted"),
    search=("match", "description"),
    panels=("backups/policy_panel.html",),
)
class BackupPolicy(TaggedModel):
    """What must be backed up of one protected object and how: RPO, RTO, retention, copies.

    Empty targets take the defaults of the system's importance category and its RPO/RTO
    (`defaults.py`) when saved. Snapshots reach the policy through `match`: the host name, tag
    or archive prefix the tool writes."""

    name = NameField(_("name"), max_length=100, unique=True)
    object_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("object type"))
    object_id = models.BigIntegerField(_("object id"))
    protected = GenericForeignKey("object_type", "object_id")
    system = models.ForeignKey(
        InformationSystem, models.PROTECT, null=True, blank=True, related_name="backup_policies",
        verbose_name=_("information system"), help_text=_("The system whose recovery targets apply."),
    )
    repository = models.ForeignKey(
        BackupRepository, models.PROTECT, null=True, blank=True, related_name="policies",
        verbose_name=_("repository"), help_text=_("The primary repository: drills restore from it."),
    )
    match = models.CharField(
        _("snapshot match"), max_length=200, blank=True,
        help_text=_("The host name, tag or archive name prefix of this object's snapshots."),
    )
    rpo_minutes = models.PositiveIntegerField(_("RPO (minutes)"), null=True, blank=True)
    rto_hours = models.DecimalField(
        _("RTO (hours)"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    retention_days = models.PositiveIntegerField(_("retention (days)"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(
        _("copies"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    copy_site = models.ForeignKey(
        "inventory.Site", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("second copy site"), help_text=_("Where a copy must be kept away from the primary site."),
    )
    offline = models.BooleanField(_("offline copy"), default=False)
    immutable = models.BooleanField(_("immutable copy"), default=False)
    tape = models.BooleanField(_("tape copy"), default=False)
    encrypted = models.BooleanField(_("encrypted"), default=True)
    drill_every_days = models.PositiveIntegerField(
        _("drill every (days)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("How often a restore drill must prove the backup."),
    )
    drill_budget_seconds = models.PositiveIntegerField(
        _("drill time budget (seconds)"), default=3600,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 3600)],
        help_text=_("A drill still working after this is stopped and fails."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("backup policy")
        verbose_name_plural = _("backup policies")
        ordering = ["name"]
        indexes = [
            collation.index("name", "backups_policy_lt"),
            models.Index(fields=["object_type", "object_id"], name="backups_policy_object"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.object_type_id is not None and self.object_id is not None:
            model = ContentType.objects.get_for_id(self.object_type_id).model_class()
            if model is None or not model._default_manager.filter(pk=self.object_id).exists():
                raise ValidationError({"object_id": _("No such object.")})
            if self.system_id is None:
                self.system_id = carried_system(model, self.object_id)
        defaults.fill(self)

    def protected_label(self) -> str:
        try:
            return str(self.protected) if self.protected is not None else "—"
        except (ObjectDoesNotExist, AttributeError):
            return "—"


def carried_system(model: type[models.Model], object_id: int) -> int | None:
    """The system itself, or the most important system with a production component deployed on
    the object (a virtual machine, device, DBMS instance or one of its databases, database)."""
    if model is InformationSystem:
        return object_id
    field = next((name for name in Deployment.TARGETS if Deployment._meta.get_field(name).related_model is model), None)
    if field is None:
        return None
    where = models.Q(**{field: object_id})
    if field == "dbms_instance":  # an instance also carries the systems of its databases
        where |= models.Q(database__instance=object_id)
    found = (Deployment.objects.filter(where, component__environment="production")
             .order_by(models.F("component__system__category__rank").asc(nulls_last=True), "component__system__code")
             .values_list("component__system", flat=True).first())
    return found


class Status(models.TextChoices):
    SUCCESS = "success", _("success")
    PARTIAL = "partial", _("partial")
    FAILED = "failed", _("failed")


@register(
    group="operations",
    columns=("taken_at", "repository", "snapshot_id", "policy", "hostname", "status", "size_bytes"),
    filters=("repository", "policy", "status", "hostname"),
    search=("snapshot_id", "hostname", "paths", "tags"),
    key="id",
    brief=("id", "snapshot_id"),
)
class Snapshot(BaseModel):
    """One backup the tool reports (a restic snapshot, a Borg archive, a row of an export)."""

    repository = models.ForeignKey(BackupRepository, models.CASCADE, related_name="snapshots",
                                   verbose_name=_("repository"))
    policy = models.ForeignKey(BackupPolicy, models.SET_NULL, null=True, blank=True, related_name="snapshots",
                               verbose_name=_("policy"))
    snapshot_id = models.CharField(_("snapshot"), max_length=100, help_text=_("The tool's id or archive name."))
    taken_at = models.DateTimeField(_("taken at"))
    hostname = models.CharField(_("host name"), max_length=200, blank=True)
    paths = models.TextField(_("paths"), blank=True)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True, validators=[MinValueValidator(0)])
    files = models.BigIntegerField(_("files"), null=True, blank=True, validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUCCESS)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-taken_at", "id"]
        indexes = [models.Index(fields=["policy", "status", "taken_at"], name="backups_snapshot_policy")]
        constraints = [
            models.UniqueConstraint(fields=["repository", "snapshot_id"], name="backups_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.repository_id and self.repository.name}:{self.snapshot_id[:12]}"


class Result(models.TextChoices):
    NOT_RUN = "not_run", _("not run")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


class Trigger(models.TextChoices):
    MANUAL = "manual", _("recorded by hand")
    ON_DEMAND = "on_demand", _("on demand")
    SCHEDULE = "schedule", _("schedule")


@register(
    group="operations",
    columns=("started_at", "policy", "snapshot", "trigger", "result", "duration_seconds", "rto_met", "reason"),
    filters=("policy", "result", "trigger", "rto_met"),
    search=("reason", "description"),
    key="id",
    brief=("id", "result"),
    panels=("backups/drill_panel.html",),
)
class RestoreDrill(BaseModel):
    """A restore drill (atkūrimo pratybos): a snapshot restored into a scratch location and checked.

    The evidence is written by the drill itself (`drills.py`) and cannot be edited; a drill
    recorded by hand carries only its policy, snapshot and description."""

    policy = models.ForeignKey(BackupPolicy, models.CASCADE, related_name="drills", verbose_name=_("policy"))
    snapshot = models.ForeignKey(Snapshot, models.SET_NULL, null=True, blank=True, related_name="drills",
                                 verbose_name=_("snapshot"))
    description = models.TextField(_("description"), blank=True)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL,
                               editable=False)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.NOT_RUN,
                              editable=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    snapshot_ref = models.CharField(_("snapshot restored"), max_length=100, blank=True, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("started by"), editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    duration_seconds = models.DecimalField(_("duration (s)"), max_digits=12, decimal_places=3, null=True, blank=True,
                                           editable=False)
    rto_met = models.BooleanField(_("within RTO"), null=True, blank=True, editable=False)
    files = models.BigIntegerField(_("files"), null=True, blank=True, editable=False)
    size_bytes = models.BigIntegerField(_("bytes restored"), null=True, blank=True, editable=False)
    rows = models.BigIntegerField(_("rows restored"), null=True, blank=True, editable=False)
    scratch = models.CharField(_("scratch location"), max_length=300, blank=True, editable=False,
                               help_text=_("The directory or scratch database restored into (removed afterwards)."))
    checksum = models.CharField(_("content checksum"), max_length=64, blank=True, editable=False,
                                help_text=_("SHA-256 over the list of restored files or tables as checked (restic: "
                                            "path, size and time; Borg: path and SHA-256; PostgreSQL dump: table, "
                                            "rows and row checksum)."))
    report_sha256 = models.CharField(_("report SHA-256"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("restore drill")
        verbose_name_plural = _("restore drills")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["policy", "result", "started_at"], name="backups_drill_policy")]

    def __str__(self) -> str:
        return f"{self.policy_id and self.policy.name} #{self.pk}"
