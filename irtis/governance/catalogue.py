"""Reading the technology catalogue: the status of every software version and hardware model it
lists (the worst when listed under several technologies), the drift report and the radar."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q
from django.urls import reverse

from .models import SEVERITY, Lifecycle, Technology


@dataclass(frozen=True)
class Listing:
    """What the catalogue says of one version or hardware model."""

    technology: str
    technology_id: int
    status: str
    retire_by: datetime.date | None

    def gone_by(self) -> datetime.date | None:
        """The date it must be gone: its technology's, or already for a forbidden one without one."""
        return self.retire_by

    def overdue(self, today: datetime.date) -> bool:
        return self.status == Lifecycle.FORBIDDEN or (
            self.status == Lifecycle.RETIRING and self.retire_by is not None and self.retire_by < today)


def _worst(rows: Any, key: str) -> dict[int, Listing]:
    found: dict[int, Listing] = {}
    for row in rows:
        listing = Listing(row["technology__name"], row["technology_id"], row["technology__status"],
                          row["technology__retire_by"])
        held = found.get(row[key])
        if held is None or SEVERITY[Lifecycle(listing.status)] > SEVERITY[Lifecycle(held.status)]:
            found[row[key]] = listing
    return found


def listings() -> tuple[dict[int, Listing], dict[int, Listing]]:
    """Software version id → listing, hardware model id → listing: two queries."""
    fields = ("technology_id", "technology__name", "technology__status", "technology__retire_by")
    versions = Technology.software_versions.through.objects.values("softwareversion_id", *fields)
    hardware = Technology.hardware_models.through.objects.values("hardwaremodel_id", *fields)
    return _worst(versions, "softwareversion_id"), _worst(hardware, "hardwaremodel_id")


BAD = (Lifecycle.RETIRING, Lifecycle.FORBIDDEN)


@dataclass(frozen=True)
class Drift:
    """One object using a retiring or forbidden version or hardware model."""

    kind: str  # what the object is: "device", "virtual machine", …
    object_label: str
    url: str
    used: str  # the version or hardware model's name
    listing: Listing
    team: str
    systems: tuple[str, ...]


def _url(model: type[Model], pk: int) -> str:
    from typing import cast

    from irtis.core.registry import ModelEntry, entry_for

    return reverse(cast(ModelEntry, entry_for(model)).url_name("detail"), args=[pk])


def drift() -> list[Drift]:
    """Everything installed or deployed whose version or hardware model is retiring or forbidden:
    one query per kind of object, each reaching its systems through deployments in a second."""
    from django.utils.translation import gettext as _

    from irtis.databases.models import DBMSInstance
    from irtis.inventory.models import Device, Installation
    from irtis.systems.models import Deployment
    from irtis.virtualization.models import VirtualMachine

    versions, hardware = listings()
    bad_versions = [pk for pk, listing in versions.items() if listing.status in BAD]
    bad_hardware = [pk for pk, listing in hardware.items() if listing.status in BAD]
    found: list[Drift] = []
    if not bad_versions and not bad_hardware:
        return found
    systems: dict[tuple[str, int], set[str]] = {}
    row: Any
    for row in Deployment.objects.filter(
            Q(device__platform_id__in=bad_versions) | Q(device__hardware_model_id__in=bad_hardware)
            | Q(virtual_machine__operating_system_id__in=bad_versions)
            | Q(dbms_instance__software_version_id__in=bad_versions)
            | Q(device__installations__software_version_id__in=bad_versions)).values(
            "device_id", "virtual_machine_id", "dbms_instance_id", "component__system__code").distinct():
        for kind in ("device", "virtual_machine", "dbms_instance"):
            if row[f"{kind}_id"]:
                systems.setdefault((kind, row[f"{kind}_id"]), set()).add(row["component__system__code"])

    def of(kind: str, pk: int) -> tuple[str, ...]:
        return tuple(sorted(systems.get((kind, pk), ())))

    for row in Device.objects.exclude(status=Device.Status.RETIRED).filter(
            Q(platform_id__in=bad_versions) | Q(hardware_model_id__in=bad_hardware)).values(
            "id", "name", "platform_id", "platform__name", "hardware_model_id", "hardware_model__name", "team__name"):
        if row["platform_id"] in bad_versions:
            found.append(Drift(_("device"), row["name"], _url(Device, row["id"]), row["platform__name"],
                               versions[row["platform_id"]], row["team__name"] or "", of("device", row["id"])))
        if row["hardware_model_id"] in bad_hardware:
            found.append(Drift(_("device"), row["name"], _url(Device, row["id"]),
                               row["hardware_model__name"], hardware[row["hardware_model_id"]],
                               row["team__name"] or "", of("device", row["id"])))
    for row in Installation.objects.exclude(device__status=Device.Status.RETIRED).filter(
            software_version_id__in=bad_versions).values(
            "id", "device_id", "device__name", "software_version_id", "software_version__name", "team__name",
            "device__team__name"):
        found.append(Drift(_("installation"), row["device__name"], _url(Installation, row["id"]),
                           row["software_version__name"], versions[row["software_version_id"]],
                           row["team__name"] or row["device__team__name"] or "", of("device", row["device_id"])))
    for row in VirtualMachine.objects.filter(operating_system_id__in=bad_versions).values(
            "id", "name", "operating_system_id", "operating_system__name", "team__name"):
        found.append(Drift(_("virtual machine"), row["name"], _url(VirtualMachine, row["id"]),
                           row["operating_system__name"], versions[row["operating_system_id"]],
                           row["team__name"] or "", of("virtual_machine", row["id"])))
    for row in DBMSInstance.objects.filter(software_version_id__in=bad_versions).values(
            "id", "name", "software_version_id", "software_version__name", "team__name"):
        found.append(Drift(_("DBMS instance"), row["name"], _url(DBMSInstance, row["id"]),
                           row["software_version__name"], versions[row["software_version_id"]],
                           row["team__name"] or "", of("dbms_instance", row["id"])))
    far = datetime.date.max
    found.sort(key=lambda d: (d.listing.retire_by or far, d.used, d.object_label))
    return found
