"""Proposals of new systems and changes (statute 2.14): what is proposed, and the findings of its
conformance check (automatic ones from irtis.governance.check, manual ones from architects)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.systems.models import Component


@register(
    group="architecture",
    columns=("code", "name", "kind", "system", "category", "cluster", "prefix", "status", "checked"),
    filters=("kind", "status", "system", "category", "cluster", "prefix"),
    search=("code", "description", "data_categories", "decision_note"),
    key="code",
    panels=("governance/proposal_panel.html",),
)
class Proposal(TaggedModel):
    """A proposed new information system, or a change to one, to be checked against the
    architecture before it is agreed."""

    class Kind(models.TextChoices):
        NEW = "new", _("new system")
        CHANGE = "change", _("change to a system")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        AGREED = "agreed", _("agreed")
        CONDITIONS = "conditions", _("agreed with conditions")
        REJECTED = "rejected", _("rejected")

    DECIDED = (Status.AGREED, Status.CONDITIONS, Status.REJECTED)

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    system = models.ForeignKey(
        "systems.InformationSystem", models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("information system"), help_text=_("The system changed (for a change)."),
    )
    category = models.ForeignKey(
        "systems.ImportanceCategory", models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("importance category"),
    )
    cluster = models.ForeignKey(
        "virtualization.Cluster", models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("target cluster"),
    )
    storage = models.ForeignKey(
        "inventory.StorageCapacity", models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("target disk array"), help_text=_("Where the components' storage is to be allocated."),
    )
    prefix = models.ForeignKey(
        "network.Prefix", models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("target prefix"), help_text=_("Where the proposal's IP addresses are to be allocated."),
    )
    owner_unit = models.CharField(_("owner unit"), max_length=200, blank=True)
    backup_planned = models.BooleanField(_("backup planned"), default=False)
    planned_end = models.DateField(_("planned end of life"), null=True, blank=True)
    data_categories = models.CharField(
        _("data categories"), max_length=500, blank=True, help_text=_("e.g. personal data, customs declarations."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    decision_note = models.TextField(_("decision and conditions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="decided_proposals",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    checked = models.DateTimeField(_("last checked"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["code"]
        indexes = [collation.index("code", "governance_proposal_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.kind == self.Kind.CHANGE and not self.system_id:
            raise ValidationError({"system": _("Name the system a change proposal changes.")})
        if self.status in self.DECIDED and not (self.decided_by_id and self.decided_on):
            raise ValidationError({"decided_on": _("A decision needs who decided and when.")})
        if self.status == self.Status.CONDITIONS and not self.decision_note.strip():
            raise ValidationError({"decision_note": _("State the conditions of the agreement.")})


POSITIVE = [MinValueValidator(1), MaxValueValidator(100_000)]


@register(
    group="architecture",
    columns=("name", "proposal", "kind", "software_version", "operating_system", "zone", "instances", "vcpu",
             "memory_gb", "storage_gb", "ip_addresses"),
    filters=("proposal", "kind", "software_version", "operating_system", "zone", "internet_facing"),
    search=("description",),
    key="id",
    brief=("id", "proposal", "name"),
)
class ProposalComponent(TaggedModel):
    """A component of a proposal, with its technology and the load it is expected to bring."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="components", verbose_name=_("proposal"))
    name = NameField(_("name"), max_length=100, unique_with=("proposal",))
    kind = models.CharField(_("kind"), max_length=20, choices=Component.Kind.choices)
    software_version = models.ForeignKey(
        "inventory.SoftwareVersion", models.PROTECT, null=True, blank=True, related_name="proposed_components",
        verbose_name=_("technology version"), help_text=_("The DBMS, middleware or application platform."),
    )
    operating_system = models.ForeignKey(
        "inventory.SoftwareVersion", models.PROTECT, null=True, blank=True, related_name="proposed_os_components",
        verbose_name=_("operating system"),
    )
    hardware_model = models.ForeignKey(
        "inventory.HardwareModel", models.PROTECT, null=True, blank=True, related_name="proposed_components",
        verbose_name=_("hardware model"), help_text=_("For a component on its own hardware."),
    )
    zone = models.ForeignKey(
        "network.SecurityZone", models.PROTECT, null=True, blank=True, related_name="proposed_components",
        verbose_name=_("security zone"),
    )
    internet_facing = models.BooleanField(_("facing the internet"), default=False)
    instances = models.PositiveSmallIntegerField(_("instances"), default=1,
                                                 validators=[MinValueValidator(1), MaxValueValidator(1000)])
    vcpu = models.PositiveIntegerField(_("vCPU per instance"), default=1, validators=POSITIVE)
    memory_gb = models.PositiveIntegerField(_("memory per instance (GB)"), default=1, validators=POSITIVE)
    storage_gb = models.PositiveIntegerField(_("storage per instance (GB)"), default=0,
                                             validators=[MaxValueValidator(10_000_000)])
    ip_addresses = models.PositiveIntegerField(_("IP addresses"), default=1, validators=[MaxValueValidator(65_536)])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("proposed component")
        verbose_name_plural = _("proposed components")
        ordering = ["proposal_id", "name"]

    def __str__(self) -> str:
        return f"{self.proposal.code}: {self.name}" if self.proposal_id else self.name


@register(
    group="architecture",
    columns=("name", "proposal", "system", "eu_system", "source_zone", "destination_zone", "protocol", "ports"),
    filters=("proposal", "system", "eu_system", "source_zone", "destination_zone", "protocol"),
    search=("description", "ports"),
    key="id",
    brief=("id", "proposal", "name"),
)
class ProposalInterface(TaggedModel):
    """An interface of a proposal to another information system or an EU system, as a flow between zones."""

    class Protocol(models.TextChoices):
        TCP = "tcp", "TCP"
        UDP = "udp", "UDP"
        ICMP = "icmp", "ICMP"
        ANY = "any", _("any protocol")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="interfaces", verbose_name=_("proposal"))
    name = NameField(_("name"), max_length=100, unique_with=("proposal",))
    system = models.ForeignKey(
        "systems.InformationSystem", models.PROTECT, null=True, blank=True, related_name="proposed_interfaces",
        verbose_name=_("information system"),
    )
    eu_system = models.ForeignKey(
        "systems.EUSystem", models.PROTECT, null=True, blank=True, related_name="proposed_interfaces",
        verbose_name=_("EU system"),
    )
    source_zone = models.ForeignKey(
        "network.SecurityZone", models.PROTECT, related_name="proposed_interfaces_from", verbose_name=_("from zone"),
    )
    destination_zone = models.ForeignKey(
        "network.SecurityZone", models.PROTECT, related_name="proposed_interfaces_to", verbose_name=_("to zone"),
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.TCP)
    ports = models.CharField(_("ports"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("proposed interface")
        verbose_name_plural = _("proposed interfaces")
        ordering = ["proposal_id", "name"]

    def __str__(self) -> str:
        return f"{self.proposal.code}: {self.name}" if self.proposal_id else self.name


@register(
    group="architecture",
    columns=("proposal", "severity", "citation", "message", "automatic"),
    filters=("proposal", "severity", "automatic", "rule"),
    search=("citation", "message"),
    key="id",
)
class ProposalFinding(TaggedModel):
    """A finding of a proposal's conformance check; each cites the rule, catalogue entry or limit."""

    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("blocking")
        MAJOR = "major", _("major")
        MINOR = "minor", _("minor")
        INFO = "info", _("information")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="findings", verbose_name=_("proposal"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    rule = models.ForeignKey(
        "governance.Rule", models.SET_NULL, null=True, blank=True, related_name="proposal_findings",
        verbose_name=_("rule"),
    )
    citation = models.CharField(_("cites"), max_length=300, help_text=_("The rule, catalogue entry or limit."))
    message = models.TextField(_("finding"))
    automatic = models.BooleanField(_("automatic"), default=False, editable=False)

    class Meta:
        verbose_name = _("proposal finding")
        verbose_name_plural = _("proposal findings")
        ordering = ["proposal_id", "automatic", "id"]

    def __str__(self) -> str:
        return f"{self.proposal.code}: {self.citation}" if self.proposal_id else self.citation
