"""Hardware model templates: the interfaces, console ports, power ports and patch panel ports a
hardware model comes with, copied to every new device of that model (`copy_to`).

The copy is made in the model layer (`Device.save` for one device, the `saved_many` signal for an
import or API list), so every way in gets it; it is written with `core.bulk.save_objects`, audited
and indexed like any write, in a constant number of queries whatever the number of templates.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import bulk
from irtis.core.models import BaseModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .cabling import ConnectorType, ConsolePort, ConsoleType, FrontPort, RearPort
from .devices import Device, HardwareModel, Interface
from .power import DRAW, PowerPort

TEMPLATE_PAGES: dict[str, Any] = {"columns": ("hardware_model", "name", "type", "description"),
                                  "filters": ("hardware_model", "type"), "search": ("description",), "key": "id",
                                  "brief": ("id", "hardware_model", "name")}


class ComponentTemplate(BaseModel):
    """A named component of a hardware model (abstract): unique by name on its hardware model."""

    hardware_model = models.ForeignKey(HardwareModel, models.CASCADE, related_name="%(class)ss",
                                       verbose_name=_("hardware model"))
    name = NameField(_("name"), max_length=64, unique_with=("hardware_model",))
    description = models.CharField(_("description"), max_length=200, blank=True)

    # The device component the template makes and the fields copied to it (besides name and description).
    component: type[models.Model]
    copied: tuple[str, ...] = ("type",)

    class Meta:
        abstract = True
        ordering = ["hardware_model__name", "name"]

    def __str__(self) -> str:
        return f"{self.hardware_model} {self.name}"

    def make(self, device: Device) -> Any:
        """The unsaved component of `device` this template describes."""
        values = {name: getattr(self, name) for name in self.copied}
        return self.component(device=device, name=self.name, description=self.description, **values)


@register(group="inventory", **TEMPLATE_PAGES)
class InterfaceTemplate(ComponentTemplate):
    """An interface every device of the hardware model has (eth0, iDRAC, Ethernet1/1)."""

    type = models.CharField(_("type"), max_length=20, choices=Interface.Type.choices,
                            default=Interface.Type.BASE_T_1G)
    component = Interface

    class Meta(ComponentTemplate.Meta):
        verbose_name = _("interface template")
        verbose_name_plural = _("interface templates")


@register(group="inventory", **TEMPLATE_PAGES)
class ConsolePortTemplate(ComponentTemplate):
    """A serial console port every device of the hardware model has."""

    type = models.CharField(_("type"), max_length=20, choices=ConsoleType.choices, default=ConsoleType.RJ45)
    component = ConsolePort

    class Meta(ComponentTemplate.Meta):
        verbose_name = _("console port template")
        verbose_name_plural = _("console port templates")


@register(group="inventory", **{**TEMPLATE_PAGES, "columns": ("hardware_model", "name", "maximum_draw",
                                                              "allocated_draw"), "filters": ("hardware_model",)})
class PowerPortTemplate(ComponentTemplate):
    """A power supply (inlet) every device of the hardware model has, with its draw."""

    maximum_draw = models.PositiveIntegerField(_("maximum draw (W)"), null=True, blank=True, validators=DRAW)
    allocated_draw = models.PositiveIntegerField(_("allocated draw (W)"), null=True, blank=True, validators=DRAW)
    component = PowerPort
    copied = ("maximum_draw", "allocated_draw")

    class Meta(ComponentTemplate.Meta):
        verbose_name = _("power port template")
        verbose_name_plural = _("power port templates")

    def clean(self) -> None:
        if self.maximum_draw and self.allocated_draw and self.allocated_draw > self.maximum_draw:
            raise ValidationError({"allocated_draw": _("The allocated draw cannot exceed the maximum draw.")})


@register(group="inventory", **{**TEMPLATE_PAGES, "columns": ("hardware_model", "name", "type", "positions")})
class RearPortTemplate(ComponentTemplate):
    """A rear port every patch panel of the hardware model has."""

    type = models.CharField(_("type"), max_length=20, choices=ConnectorType.choices, default=ConnectorType.RJ45)
    positions = models.PositiveSmallIntegerField(_("positions"), default=1,
                                                 validators=[MinValueValidator(1), MaxValueValidator(1024)])
    component = RearPort
    copied = ("type", "positions")

    class Meta(ComponentTemplate.Meta):
        verbose_name = _("rear port template")
        verbose_name_plural = _("rear port templates")

    def clean(self) -> None:
        fronts = self.frontporttemplates.filter(rear_port_position__gt=self.positions) if self.pk else None
        if self.positions and fronts is not None and fronts.exists():
            raise ValidationError({"positions": _("A front port uses a higher position of this rear port.")})


@register(group="inventory", **{**TEMPLATE_PAGES, "columns": ("hardware_model", "name", "type", "rear_port",
                                                              "rear_port_position")},
          depends={"rear_port": ("hardware_model",)},
          queryset=lambda rows: rows.select_related("rear_port__hardware_model"))
class FrontPortTemplate(ComponentTemplate):
    """A front port every patch panel of the hardware model has, continuing at a rear port's position."""

    type = models.CharField(_("type"), max_length=20, choices=ConnectorType.choices, default=ConnectorType.RJ45)
    rear_port = models.ForeignKey(RearPortTemplate, models.CASCADE, related_name="frontporttemplates",
                                  verbose_name=_("rear port"))
    rear_port_position = models.PositiveSmallIntegerField(
        _("rear port position"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1024)],
    )
    component = FrontPort
    copied = ("type", "rear_port_position")

    class Meta(ComponentTemplate.Meta):
        verbose_name = _("front port template")
        verbose_name_plural = _("front port templates")
        constraints = [models.UniqueConstraint(fields=["rear_port", "rear_port_position"],
                                               name="front_port_template_rear_position")]

    def clean(self) -> None:
        if not self.rear_port_id:
            return
        if self.hardware_model_id and self.rear_port.hardware_model_id != self.hardware_model_id:
            raise ValidationError({"rear_port": _("The rear port must be of the same hardware model.")})
        if self.rear_port_position and self.rear_port_position > self.rear_port.positions:
            raise ValidationError({"rear_port_position": _("The rear port has %(n)d positions.") % {
                "n": self.rear_port.positions}})


# In this order: a front port needs its rear port saved first.
TEMPLATES: tuple[type[ComponentTemplate], ...] = (InterfaceTemplate, ConsolePortTemplate, PowerPortTemplate,
                                                  RearPortTemplate, FrontPortTemplate)


def copy_to(devices: Sequence[Device]) -> None:
    """Give new devices the components of their hardware models' templates: one query per kind of
    template and one bulk write per kind of component, whatever the numbers of devices and templates."""
    if not devices:
        return
    by_model: dict[int, list[Device]] = {}
    for device in devices:
        by_model.setdefault(device.hardware_model_id, []).append(device)
    rears: dict[tuple[int, int], RearPort] = {}  # (device, rear port template) → the rear port made
    for template_model in TEMPLATES:
        templates = template_model._default_manager.filter(hardware_model_id__in=by_model).order_by("pk")
        made = []
        for template in templates:
            for device in by_model[template.hardware_model_id]:
                component = template.make(device)
                if isinstance(template, RearPortTemplate):
                    rears[device.pk, template.pk] = component
                elif isinstance(template, FrontPortTemplate):
                    component.rear_port = rears[device.pk, template.rear_port_id]
                made.append(component)
        bulk.save_objects(made)
