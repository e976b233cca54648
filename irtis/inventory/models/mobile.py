"""Mobile devices of customs officers and their MDM enrolment and compliance (statute 2.4)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .places import Site
from .software import SoftwareVersion

IMEI = RegexValidator(r"^\d{15}$", _("An IMEI has 15 digits."))
ACCOUNT = RegexValidator(r"^[^\s\"/\\\[\]:;|=,+*?<>]{1,20}$", _("Not a valid sAMAccountName."))


@register(
    group="inventory",
    columns=("serial", "kind", "model", "operating_system", "user_name", "user_account", "mdm_state", "compliance",
             "last_check_in"),
    filters=("kind", "site", "operating_system", "mdm_state", "compliance", "access_profile", "last_check_in"),
    search=("imei", "model", "user_account", "user_name"),
    key="serial",
)
class MobileDevice(TaggedModel):
    """A phone, tablet or laptop issued to an officer, managed through MDM."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone")
        TABLET = "tablet", _("tablet")
        LAPTOP = "laptop", _("laptop")

    class MDMState(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        PENDING = "pending", _("pending")
        NOT_ENROLLED = "not_enrolled", _("not enrolled")

    class Compliance(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        NON_COMPLIANT = "non_compliant", _("non-compliant")
        UNKNOWN = "unknown", _("unknown")

    serial = NameField(_("serial number"), max_length=50, unique=True)
    imei = NameField(_("IMEI"), max_length=15, unique=True, null=True, blank=True, validators=[IMEI])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    model = models.CharField(_("model"), max_length=100)
    operating_system = models.ForeignKey(
        SoftwareVersion, models.PROTECT, null=True, blank=True, related_name="mobile_devices",
        verbose_name=_("operating system"),
        help_text=_("The version from the software catalogue, so that unsupported versions are reported."),
    )
    user_account = models.CharField(
        _("user account"), max_length=20, blank=True, validators=[ACCOUNT],
        help_text=_("Active Directory account (sAMAccountName) of the officer it is assigned to."),
    )
    user_name = models.CharField(_("user name"), max_length=100, blank=True)
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="mobile_devices", verbose_name=_("site"),
    )
    mdm_state = models.CharField(
        _("MDM enrolment"), max_length=15, choices=MDMState.choices, default=MDMState.PENDING,
    )
    compliance = models.CharField(
        _("compliance"), max_length=15, choices=Compliance.choices, default=Compliance.UNKNOWN,
    )
    last_check_in = models.DateTimeField(_("last check-in"), null=True, blank=True)
    access_profile = models.CharField(
        _("access profile"), max_length=50, blank=True,
        help_text=_("The network access profile the MDM gives the device, e.g. always-on VPN."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    # The out-of-support report lists devices whose operating system is past its support.
    support_report = {"version": "operating_system", "site": "site"}

    class Meta:
        verbose_name = _("mobile device")
        verbose_name_plural = _("mobile devices")
        ordering = ["serial"]
        indexes = [collation.index("serial", "inventory_mobiledevice_lt")]

    def __str__(self) -> str:
        return self.serial

    def save(self, *args: object, **kwargs: object) -> None:
        if self.imei == "":
            self.imei = None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.imei == "":
            self.imei = None
