"""A virtual machine's virtual disks.

The machine's `disk_gb` stays the storage allocated to it, the figure the cluster capacity and
the reports count; its disks itemise it, and together they may not exceed it (checked from both
sides: a disk that would pass it, a machine lowered below its disks).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


def disks_total(machine_id: int, excluding: int | None = None) -> int:
    """The size of a machine's disks together (GB), optionally without one of them."""
    rows = VirtualDisk.objects.filter(virtual_machine_id=machine_id)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return rows.aggregate(total=Sum("size_gb"))["total"] or 0


@register(
    group="inventory",
    columns=("virtual_machine", "name", "size_gb", "datastore", "description"),
    filters=("virtual_machine", "datastore", "size_gb"),
    search=("datastore", "description"),
    key="id",
    brief=("id", "virtual_machine", "name"),
    queryset=lambda rows: rows.select_related("virtual_machine"),
)
class VirtualDisk(TaggedModel):
    """A virtual disk of a virtual machine (a VMDK, VHDX or volume)."""

    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine",
        models.CASCADE,
        related_name="disks",
        verbose_name=_("virtual machine"),
    )
    name = NameField(_("name"), max_length=64, unique_with=("virtual_machine",))
    size_gb = models.PositiveIntegerField(
        _("size (GB)"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    datastore = models.CharField(
        _("datastore"), max_length=100, blank=True, help_text=_("The datastore or volume holding the disk.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("virtual disk")
        verbose_name_plural = _("virtual disks")
        ordering = ["virtual_machine_id", "name"]

    def __str__(self) -> str:
        return f"{self.virtual_machine} {self.name}" if self.virtual_machine_id else self.name

    def clean(self) -> None:
        if not self.virtual_machine_id or self.size_gb is None:
            return
        machine = self.virtual_machine
        total = disks_total(machine.pk, excluding=self.pk) + self.size_gb
        if total > machine.disk_gb:
            raise ValidationError({"size_gb": _(
                "The machine's disks would take %(total)d GB, more than its allocated %(allocated)d GB: "
                "raise the machine's disk allocation first."
            ) % {"total": total, "allocated": machine.disk_gb}})
