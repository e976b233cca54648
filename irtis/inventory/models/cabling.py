"""Cabling: patch panel front and rear ports, console ports, and the cables joining two ports.

A cable has an A end and a B end. Each end is one of a fixed set of typed, nullable foreign keys
(`a_interface`, `a_front_port`, … `b_power_feed`), exactly one set per end (`Cable.ENDS`): the
database keeps every end pointing at a real port (deleting a port deletes its cable), a unique
index per column refuses a second cable on the same column (`clean` also looks at the other
end's column and names the cable found), and a trace reads a cable with both ends and their
devices in one query.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core.models import ColourField, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .devices import Device, Interface


class ConnectorType(models.TextChoices):
    RJ45 = "8p8c", _("8P8C (RJ-45)")
    LC = "lc", "LC"
    SC = "sc", "SC"
    MPO = "mpo", "MPO"
    OTHER = "other", _("other")


class ConsoleType(models.TextChoices):
    RJ45 = "rj-45", "RJ-45"
    DE9 = "de-9", "DE-9 (RS-232)"
    USB_A = "usb-a", "USB-A"
    USB_C = "usb-c", "USB-C"
    USB_MICRO = "usb-micro-b", "USB Micro-B"


PORT_PAGES: dict[str, Any] = {"columns": ("device", "name", "type", "description"), "filters": ("device", "type"),
              "search": ("description",), "key": "id", "brief": ("id", "device", "name"),
              "panels": ("inventory/cable_trace.html",)}


class DevicePort(TaggedModel):
    """A named port of a device (abstract): unique by name on its device."""

    device = models.ForeignKey(Device, models.CASCADE, related_name="%(class)ss", verbose_name=_("device"))
    name = NameField(_("name"), max_length=64, unique_with=("device",))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["device__name", "name"]

    def __str__(self) -> str:
        return f"{self.device} {self.name}"


@register(group="inventory", **PORT_PAGES)
class RearPort(DevicePort):
    """The back of a patch panel: a trunk cable lands here and carries `positions` front ports."""

    type = models.CharField(_("type"), max_length=20, choices=ConnectorType.choices, default=ConnectorType.RJ45)
    positions = models.PositiveSmallIntegerField(
        _("positions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1024)],
        help_text=_("How many front ports it carries (12 for an MPO trunk of 12 fibres)."),
    )

    class Meta(DevicePort.Meta):
        verbose_name = _("rear port")
        verbose_name_plural = _("rear ports")

    def clean(self) -> None:
        if self.pk and self.positions and self.frontports.filter(rear_port_position__gt=self.positions).exists():
            raise ValidationError({"positions": _("A front port uses a higher position of this rear port.")})


@register(group="inventory", **{**PORT_PAGES, "columns": ("device", "name", "type", "rear_port",
                                                           "rear_port_position")}, depends={"rear_port": ("device",)},
          queryset=lambda rows: rows.select_related("rear_port__device"))
class FrontPort(DevicePort):
    """The front of a patch panel: a patch cord lands here; it continues at a rear port's position."""

    type = models.CharField(_("type"), max_length=20, choices=ConnectorType.choices, default=ConnectorType.RJ45)
    rear_port = models.ForeignKey(RearPort, models.CASCADE, related_name="frontports", verbose_name=_("rear port"))
    rear_port_position = models.PositiveSmallIntegerField(
        _("rear port position"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1024)],
    )

    class Meta(DevicePort.Meta):
        verbose_name = _("front port")
        verbose_name_plural = _("front ports")
        constraints = [models.UniqueConstraint(fields=["rear_port", "rear_port_position"],
                                               name="front_port_rear_position")]

    def clean(self) -> None:
        if not self.rear_port_id:
            return
        if self.device_id and self.rear_port.device_id != self.device_id:
            raise ValidationError({"rear_port": _("The rear port must be on the same device.")})
        if self.rear_port_position and self.rear_port_position > self.rear_port.positions:
            raise ValidationError({"rear_port_position": _("The rear port has %(n)d positions.") % {
                "n": self.rear_port.positions}})


@register(group="inventory", **PORT_PAGES)
class ConsolePort(DevicePort):
    """A device's serial console, cabled to a console server port."""

    type = models.CharField(_("type"), max_length=20, choices=ConsoleType.choices, default=ConsoleType.RJ45)

    class Meta(DevicePort.Meta):
        verbose_name = _("console port")
        verbose_name_plural = _("console ports")


@register(group="inventory", **PORT_PAGES)
class ConsoleServerPort(DevicePort):
    """A port of a console server (terminal server) that other devices' consoles are cabled to."""

    type = models.CharField(_("type"), max_length=20, choices=ConsoleType.choices, default=ConsoleType.RJ45)

    class Meta(DevicePort.Meta):
        verbose_name = _("console server port")
        verbose_name_plural = _("console server ports")


def _ends() -> dict[str, str]:
    """Field suffix → model label of every kind of port a cable end may land on."""
    return {"interface": "inventory.Interface", "front_port": "inventory.FrontPort",
            "rear_port": "inventory.RearPort", "console_port": "inventory.ConsolePort",
            "console_server_port": "inventory.ConsoleServerPort", "power_port": "inventory.PowerPort",
            "power_outlet": "inventory.PowerOutlet", "power_feed": "inventory.PowerFeed"}


def with_ends(rows: models.QuerySet) -> models.QuerySet:
    """Cables with the ports of both ends and what names them (their device or power panel), and a
    front port's rear port, read in the same query."""
    related = []
    for side in "ab":
        for kind in _ends():
            related.append(f"{side}_{kind}__power_panel" if kind == "power_feed" else f"{side}_{kind}__device")
            if kind == "front_port":
                related.append(f"{side}_{kind}__rear_port")
    return rows.select_related(*related)


def _end(kind: str, verbose_name: Any) -> models.ForeignKey:
    return models.ForeignKey(_ends()[kind], models.CASCADE, null=True, blank=True, related_name="+",
                             db_index=False, verbose_name=verbose_name)  # the unique constraint indexes it


@register(
    group="inventory",
    columns=("id", "label", "type", "status", "a_interface", "b_interface", "length", "length_unit"),
    filters=("type", "status"),
    search=("label", "description"),
    key="id",
    brief=("id", "label"),
    panels=("inventory/cable_ends.html",),
    queryset=with_ends,
)
class Cable(TaggedModel):
    """A cable from its A end to its B end, each one port (interface, patch panel port, console or
    power port, outlet or feed)."""

    class Type(models.TextChoices):
        CAT5E = "cat5e", "Cat5e"
        CAT6 = "cat6", "Cat6"
        CAT6A = "cat6a", "Cat6a"
        OM3 = "om3", _("OM3 multimode fibre")
        OM4 = "om4", _("OM4 multimode fibre")
        OS2 = "os2", _("OS2 single-mode fibre")
        DAC = "dac", _("direct attach copper (DAC)")
        CONSOLE = "console", _("console")
        POWER = "power", _("power")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        CONNECTED = "connected", _("connected")
        PLANNED = "planned", _("planned")
        DECOMMISSIONING = "decommissioning", _("decommissioning")

    class Unit(models.TextChoices):
        M = "m", _("m")
        CM = "cm", _("cm")

    label = models.CharField(_("label"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.CAT6)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONNECTED)
    length = models.DecimalField(_("length"), max_digits=8, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    length_unit = models.CharField(_("length unit"), max_length=2, choices=Unit.choices, default=Unit.M)
    color = ColourField(_("colour"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    a_interface = _end("interface", _("A end: interface"))
    a_front_port = _end("front_port", _("A end: front port"))
    a_rear_port = _end("rear_port", _("A end: rear port"))
    a_console_port = _end("console_port", _("A end: console port"))
    a_console_server_port = _end("console_server_port", _("A end: console server port"))
    a_power_port = _end("power_port", _("A end: power port"))
    a_power_outlet = _end("power_outlet", _("A end: power outlet"))
    a_power_feed = _end("power_feed", _("A end: power feed"))
    b_interface = _end("interface", _("B end: interface"))
    b_front_port = _end("front_port", _("B end: front port"))
    b_rear_port = _end("rear_port", _("B end: rear port"))
    b_console_port = _end("console_port", _("B end: console port"))
    b_console_server_port = _end("console_server_port", _("B end: console server port"))
    b_power_port = _end("power_port", _("B end: power port"))
    b_power_outlet = _end("power_outlet", _("B end: power outlet"))
    b_power_feed = _end("power_feed", _("B end: power feed"))

    KINDS = tuple(_ends())
    ENDS = tuple(f"{side}_{kind}" for side in "ab" for kind in _ends())

    class Meta:
        verbose_name = _("cable")
        verbose_name_plural = _("cables")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=[name], name=f"cable_{name}") for name in (
            f"{side}_{kind}" for side in "ab" for kind in _ends())]

    def __str__(self) -> str:
        return self.label or _("Cable #%(id)s") % {"id": self.pk}

    def end_id(self, side: str) -> tuple[str, int | None]:
        """(kind, port id) of the A or B end; (``""``, None) when it is not set."""
        for kind in self.KINDS:
            if getattr(self, f"{side}_{kind}_id") is not None:
                return kind, getattr(self, f"{side}_{kind}_id")
        return "", None

    def end(self, side: str) -> Any:
        """The port at the A or B end (None when it is not set)."""
        kind = self.end_id(side)[0]
        return getattr(self, f"{side}_{kind}") if kind else None

    @property
    def end_a(self) -> Any:
        return self.end("a")

    @property
    def end_b(self) -> Any:
        return self.end("b")

    def far_side(self, port: models.Model) -> str:
        """"a" or "b": the side of the cable away from `port`."""
        return "b" if self.end_id("a") == (kind_of(port), port.pk) else "a"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for side in "ab":
            if sum(getattr(self, f"{side}_{kind}_id") is not None for kind in self.KINDS) != 1:
                errors[f"{side}_interface"] = _("Choose exactly one port for this end.")
        if errors:
            raise ValidationError(errors)
        if self.end_id("a") == self.end_id("b"):
            raise ValidationError({f"b_{self.end_id('b')[0]}": _("A cable cannot join a port to itself.")})
        for side in "ab":
            kind = self.end_id(side)[0]
            port = self.end(side)
            if kind == "interface" and port.type in (Interface.Type.VIRTUAL, Interface.Type.LAG):
                errors[f"{side}_{kind}"] = _("A virtual or LAG interface cannot be cabled.")
                continue
            other = Cable.objects.filter(Cable.touching(port)).exclude(pk=self.pk).first()
            if other is not None:
                errors[f"{side}_{kind}"] = _("%(port)s is already connected by cable %(cable)s.") % {
                    "port": port, "cable": other}
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def touching(port: models.Model) -> models.Q:
        """The filter of the cable (at most one) whose A or B end is `port`."""
        kind = kind_of(port)
        return models.Q(**{f"a_{kind}": port}) | models.Q(**{f"b_{kind}": port})


def port_model(kind: str) -> type[models.Model]:
    """The model of the ports a cable end of that kind lands on."""
    return apps.get_model(_ends()[kind])


def kind_of(port: models.Model) -> str:
    """The cable end suffix naming the port's model (`interface`, `front_port` …)."""
    label = port._meta.label
    for kind, target in _ends().items():
        if target == label:
            return kind
    raise ValueError(f"{label} cannot be cabled")
