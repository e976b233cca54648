"""Voice network: IP telephony gateways and the telephone number ranges they serve."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Device, Site

NUMBER = re.compile(r"^\+?\d{3,15}$")


@register(
    group="networks",
    columns=("name", "site", "device", "description"),
    filters=("site", "device"),
    search=("description",),
)
class VoiceGateway(TaggedModel):
    """An IP telephony gateway joining the internal voice network to the public telephone network."""

    name = NameField(_("name"), max_length=100, unique=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="voice_gateways", verbose_name=_("site"))
    device = models.ForeignKey(
        Device,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="voice_gateways",
        verbose_name=_("device"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("voice gateway")
        verbose_name_plural = _("voice gateways")
        ordering = ["name"]
        indexes = [collation.index("name", "network_voicegateway_lt")]

    def __str__(self) -> str:
        return self.name


def _normalise(number: str) -> str:
    return re.sub(r"[\s\-()]", "", number or "")


@register(
    group="networks",
    columns=("start", "end", "gateway", "site", "description"),
    filters=("gateway", "site"),
    search=("start", "end", "description"),
    key="start",
)
class NumberRange(TaggedModel):
    """A block of telephone numbers (DID range), e.g. +37052660000 to +37052660999."""

    start = NameField(_("first number"), max_length=16, unique=True)
    end = models.CharField(_("last number"), max_length=16)
    gateway = models.ForeignKey(
        VoiceGateway,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="number_ranges",
        verbose_name=_("voice gateway"),
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="number_ranges", verbose_name=_("site")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("number range")
        verbose_name_plural = _("number ranges")
        ordering = ["start"]
        indexes = [collation.index("start", "network_numberrange_lt")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.start, self.end = _normalise(self.start), _normalise(self.end)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.start, self.end = _normalise(self.start), _normalise(self.end)
        errors = {}
        for name in ("start", "end"):
            if not NUMBER.match(getattr(self, name)):
                errors[name] = _("Write a telephone number: digits, optionally starting with +.")
        if errors:
            raise ValidationError(errors)
        if len(self.start) != len(self.end) or self.start[0] != self.end[0]:
            raise ValidationError(
                {"end": _("The first and last number must have the same form and number of digits.")}
            )
        if self.start > self.end:
            raise ValidationError({"end": _("The last number must not be lower than the first.")})
        same_form = NumberRange.objects.annotate(width=Length("start")).filter(width=len(self.start))
        plus = Q(start__startswith="+")
        same_form = same_form.filter(plus if self.start.startswith("+") else ~plus)
        overlap = same_form.filter(start__lte=self.end, end__gte=self.start).exclude(pk=self.pk).first()
        if overlap is not None:
            raise ValidationError(_("The numbers overlap the range %(range)s.") % {"range": overlap})
        if self.gateway_id and self.site_id is None and self.gateway:
            self.site_id = self.gateway.site_id
