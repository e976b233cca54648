"""Software: products, their versions with support and end-of-life dates, and where they run."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .devices import Device
from .places import Manufacturer


@register(
    group="inventory",
    columns=("name", "manufacturer", "kind"),
    filters=("manufacturer", "kind"),
    search=("description",),
)
class SoftwareProduct(TaggedModel):
    """An operating system, DBMS, hypervisor, middleware, application or firmware product."""

    class Kind(models.TextChoices):
        OPERATING_SYSTEM = "os", _("operating system")
        DBMS = "dbms", _("database management system")
        HYPERVISOR = "hypervisor", _("hypervisor")
        MIDDLEWARE = "middleware", _("middleware")
        APPLICATION = "application", _("application")
        FIRMWARE = "firmware", _("firmware")

    manufacturer = models.ForeignKey(
        Manufacturer, models.PROTECT, related_name="software_products", verbose_name=_("manufacturer"),
    )
    name = NameField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("software product")
        verbose_name_plural = _("software products")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_softwareproduc_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="inventory",
    columns=("name", "product", "number", "release_date", "support_end", "extended_support_end", "end_of_life"),
    filters=("product", "release_date", "support_end", "extended_support_end", "end_of_life"),
    search=("number",),
)
class SoftwareVersion(TaggedModel):
    """A version of a software product, with the dates its vendor stops supporting it.

    Vendors support a version fully (mainstream: fixes and new features) until `support_end`, then
    some sell or give extended support (security fixes only) until `extended_support_end`; after
    the last of them, or after `end_of_life`, the version has no support at all.
    """

    product = models.ForeignKey(
        SoftwareProduct, models.PROTECT, related_name="versions", verbose_name=_("product"),
    )
    number = models.CharField(_("version"), max_length=50)
    name = NameField(
        _("full name"), max_length=150, unique=True, blank=True,
        help_text=_("How files and other objects name it; product and version when left empty."),
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    support_end = models.DateField(_("mainstream support end"), null=True, blank=True)
    extended_support_end = models.DateField(
        _("extended support end"), null=True, blank=True,
        help_text=_("Security fixes only, after mainstream support; empty when there is none."),
    )
    end_of_life = models.DateField(_("end of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("software version")
        verbose_name_plural = _("software versions")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_softwareversio_lt")]
        constraints = [models.UniqueConstraint(fields=["product", "number"], name="software_version_product")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.name and self.product_id and self.number:
            self.name = f"{self.product.name} {self.number}"[:150]
        if not self.name:
            raise ValidationError({"name": _("This field is required.")})
        if self.support_end and self.end_of_life and self.end_of_life < self.support_end:
            raise ValidationError({"end_of_life": _("End of life cannot come before the end of support.")})
        if self.support_end and self.extended_support_end and self.extended_support_end < self.support_end:
            raise ValidationError({"extended_support_end": _(
                "Extended support cannot end before mainstream support.")})

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.name and self.product_id:
            self.name = f"{self.product.name} {self.number}"[:150]
        super().save(*args, **kwargs)

    @property
    def support_ends(self) -> datetime.date | None:
        """The day the last vendor support (extended, else mainstream) or the version's life ends."""
        return support_ends(self.support_end, self.extended_support_end, self.end_of_life)

    def out_of_support(self, on: datetime.date | None = None) -> bool:
        ends = self.support_ends
        return ends is not None and ends < (on or datetime.date.today())

    @staticmethod
    def unsupported_q(on: datetime.date, prefix: str = "") -> models.Q:
        """Versions with no support left before `on`: life or every support ended (`prefix` reaches
        them from another model)."""
        return (models.Q(**{f"{prefix}end_of_life__lt": on})
                | models.Q(**{f"{prefix}extended_support_end__lt": on})
                | models.Q(**{f"{prefix}extended_support_end__isnull": True, f"{prefix}support_end__lt": on}))

    @staticmethod
    def extended_q(on: datetime.date, prefix: str = "") -> models.Q:
        """Versions whose mainstream support ended before `on` but whose extended support has not."""
        return (models.Q(**{f"{prefix}support_end__lt": on, f"{prefix}extended_support_end__gte": on})
                & ~models.Q(**{f"{prefix}end_of_life__lt": on}))


def support_ends(mainstream: datetime.date | None, extended: datetime.date | None,
                 end_of_life: datetime.date | None) -> datetime.date | None:
    """The day a version's support ends for good: its last support or its life, whichever is first."""
    ends = [d for d in (extended or mainstream, end_of_life) if d is not None]
    return min(ends) if ends else None


@register(
    group="inventory",
    columns=("device", "software_version", "team", "installed_on", "description"),
    filters=("device", "software_version", "team", "installed_on"),
    search=("description",),
    key="id",
)
class Installation(TaggedModel):
    """Software other than the platform that runs on a device (a DBMS, middleware, an agent …).

    Virtual machines keep their own installations in irtis.virtualization (a model with a
    `software_version` foreign key and `support_report` paths); the out-of-support report finds them.
    """

    software_version = models.ForeignKey(
        SoftwareVersion, models.PROTECT, related_name="installations", verbose_name=_("software version"),
    )
    device = models.ForeignKey(
        Device, models.CASCADE, null=True, blank=True, related_name="installations", verbose_name=_("device"),
    )
    team = models.ForeignKey(
        "inventory.Team", models.PROTECT, null=True, blank=True, related_name="installations",
        verbose_name=_("responsible team"), help_text=_("When empty, the device's team."),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    # Paths the out-of-support report follows from this model (see inventory.reports).
    support_report = {"target": "device", "site": "device__site", "team": "team", "fallback_team": "device__team",
                      "exclude": {"device__status": "retired"}}

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["software_version__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["device", "software_version"], name="installation_device_version"),
        ]

    def __str__(self) -> str:
        return f"{self.software_version} @ {self.device}"

    def clean(self) -> None:
        if not self.device_id:
            raise ValidationError({"device": _("Choose the device the software is installed on.")})
