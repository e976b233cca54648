"""Access to information-system roles, Active Directory groups and network flows (statute 1.2,
2.9): what can be granted (`Entitlement`), who asked for it and who approved it
(`AccessRequest`), what is granted now (`Membership`), and the periodic confirmation of every
grant by its owner (`RecertificationCampaign`, `RecertificationItem`).

Status changes are actions (`irtis.access.actions`), never editable fields; each is a saved
object, so the audit trail records it.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


class Kind(models.TextChoices):
    SYSTEM_ROLE = "system_role", _("information system role")
    AD_GROUP = "ad_group", _("Active Directory group")
    NETWORK_FLOW = "network_flow", _("network flow")


@register(
    group="security",
    columns=("name", "kind", "owner", "system", "privileged", "max_days"),
    filters=("kind", "owner", "system", "privileged"),
    search=("reference", "description"),
)
class Entitlement(TaggedModel):
    """Something a person may be granted: a role in a system, an AD group or a network flow."""

    name = NameField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reference = models.CharField(
        _("reference"), max_length=400, blank=True,
        help_text=_("For an AD group its distinguished name (CN=…,DC=…); for a network flow the "
                    "flow's reference; for a system role the role's name in the system."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                              verbose_name=_("owner"), help_text=_("Approves requests and recertifies grants."))
    system = models.ForeignKey("systems.InformationSystem", models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("information system"))
    privileged = models.BooleanField(_("privileged"), default=False)
    max_days = models.PositiveSmallIntegerField(_("longest grant (days)"), default=365,
                                                validators=[MinValueValidator(1), MaxValueValidator(3650)])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["name"]
        indexes = [collation.index("name", "access_entitlement_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind in (Kind.AD_GROUP, Kind.NETWORK_FLOW) and not self.reference.strip():
            raise ValidationError({"reference": _("Name the group's distinguished name or the flow.")})
        if self.kind == Kind.AD_GROUP and "=" not in self.reference:
            raise ValidationError({"reference": _("An AD group is named by its distinguished name, e.g. "
                                                  "CN=G_App,OU=Groups,DC=example,DC=lt.")})


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


@register(
    group="security",
    columns=("id", "entitlement", "beneficiary", "requester", "valid_from", "valid_until", "status"),
    filters=("status", "entitlement", "beneficiary", "requester"),
    search=("justification",),
    key="id",
    brief=("id", "entitlement"),
    panels=("access/request_panel.html",),
)
class AccessRequest(BaseModel):
    """A request for an entitlement for someone, for a limited time; granted once both the
    entitlement's owner and a security officer approve, never by the requester."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, editable=False,
                                  related_name="+", verbose_name=_("requester"))
    beneficiary = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("for whom"))
    entitlement = models.ForeignKey(Entitlement, models.PROTECT, related_name="requests",
                                    verbose_name=_("entitlement"))
    justification = models.TextField(_("justification"))
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.REQUESTED, editable=False, db_index=True)
    owner_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                          editable=False, related_name="+", verbose_name=_("approved by the owner"))
    owner_approved_at = models.DateTimeField(_("owner approved"), null=True, blank=True, editable=False)
    officer_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                            editable=False, related_name="+",
                                            verbose_name=_("approved by the security officer"))
    officer_approved_at = models.DateTimeField(_("security officer approved"), null=True, blank=True, editable=False)
    decision_comment = models.TextField(_("decision comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"REQ-{self.pk or 0:05d} {self.entitlement_id and self.entitlement}"

    def clean(self) -> None:
        super().clean()
        if self._state.adding and self.requester_id is None:
            self.requester_id = _current_user()
        if self.valid_from is None or self.valid_until is None or self.entitlement_id is None:
            return
        if self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The access must end after it starts.")})
        longest = self.entitlement.max_days
        if (self.valid_until - self.valid_from).days > longest:
            raise ValidationError({"valid_until": _("“%(entitlement)s” is granted for at most %(days)s days: "
                                                    "end by %(date)s.") % {
                "entitlement": self.entitlement, "days": longest,
                "date": self.valid_from + dt.timedelta(days=longest)}})

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self._state.adding and self.requester_id is None:
            self.requester_id = _current_user()
        super().save(*args, **kwargs)


def _current_user() -> int | None:
    from irtis.audit import context

    user = context.current().user
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    REMOVED = "removed", _("removed")


@register(
    group="security",
    columns=("user", "entitlement", "valid_until", "status", "ad_applied_at", "ad_removed_at", "last_error"),
    filters=("status", "entitlement", "user"),
    key="id",
    brief=("id", "entitlement"),
)
class Membership(BaseModel):
    """A granted entitlement; for an AD group, whether the account is in the group (written by
    the access jobs, never by hand)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user"))
    entitlement = models.ForeignKey(Entitlement, models.PROTECT, related_name="memberships",
                                    verbose_name=_("entitlement"))
    request = models.OneToOneField(AccessRequest, models.PROTECT, null=True, blank=True, related_name="membership",
                                   verbose_name=_("access request"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=MembershipStatus.choices,
                              default=MembershipStatus.ACTIVE, db_index=True)
    ad_applied_at = models.DateTimeField(_("added in AD"), null=True, blank=True, editable=False)
    ad_removed_at = models.DateTimeField(_("removed from AD"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last directory error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id and self.user} → {self.entitlement_id and self.entitlement}"


@register(
    group="security",
    columns=("name", "deadline", "entitlement", "status"),
    filters=("status", "entitlement"),
    panels=("access/campaign_panel.html",),
)
class RecertificationCampaign(BaseModel):
    """Every owner confirms or revokes each grant in scope by the deadline."""

    name = NameField(_("name"), max_length=200, unique=True)
    deadline = models.DateField(_("deadline"))
    entitlement = models.ForeignKey(Entitlement, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("entitlement"), help_text=_("Empty: every entitlement."))
    status = models.CharField(_("status"), max_length=10, editable=False, default="draft",
                              choices=[("draft", _("draft")), ("open", _("open")), ("closed", _("closed"))])

    class Meta:
        verbose_name = _("recertification campaign")
        verbose_name_plural = _("recertification campaigns")
        ordering = ["name"]
        indexes = [collation.index("name", "access_campaign_lt")]

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    PENDING = "pending", _("awaiting an answer")
    CONFIRMED = "confirmed", _("confirmed")
    REVOKED = "revoked", _("revoked")


@register(
    group="security",
    columns=("campaign", "membership", "reviewer", "answer", "answered_at"),
    filters=("campaign", "reviewer", "answer"),
    key="id",
    brief=("id", "campaign"),
)
class RecertificationItem(BaseModel):
    """One grant to confirm or revoke, asked of the entitlement's owner."""

    campaign = models.ForeignKey(RecertificationCampaign, models.CASCADE, related_name="items",
                                 verbose_name=_("recertification campaign"))
    membership = models.ForeignKey(Membership, models.CASCADE, related_name="+", verbose_name=_("membership"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 verbose_name=_("reviewer"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING,
                              editable=False, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recertification item")
        verbose_name_plural = _("recertification items")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "membership"], name="access_item_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id and self.campaign}: #{self.membership_id}"
