"""Routing: BGP route targets, which VRFs import and export (`VRF.import_targets`, `export_targets`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .zones import RD


@register(group="networks", columns=("name", "description"), search=("description",))
class RouteTarget(TaggedModel):
    """A BGP extended community (ASN:number or IPv4:number) by which VRFs exchange routes."""

    name = NameField(_("route target"), max_length=30, unique=True,
                     help_text=_("ASN:number or IPv4:number, e.g. 65010:140."))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("route target")
        verbose_name_plural = _("route targets")
        ordering = ["name"]
        indexes = [collation.index("name", "network_routetarget_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name and not RD.match(self.name):
            raise ValidationError({"name": _("Write the route target as ASN:number or IPv4:number.")})
