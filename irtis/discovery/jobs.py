"""Reading agents as background runs: one device's (the page shows its progress, then the preview)
and sweeps over many devices, per network zone, on demand or on a schedule."""

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.core.secrets import SecretUnreadable
from irtis.inventory.models import Device
from irtis.tasks.runs import Refused, get_or_gone, job

from . import snmp, sweeps
from .models import Sweep


@job(label=gettext_lazy("Read a device's agent"), key="device_id", secrets=("credentials",), max_attempts=2)
def scan(run: Any, device_id: int, address: str, port: int, credentials: dict[str, str],
         vrf_id: int | None = None) -> dict[str, Any]:
    """The reading of the agent, kept on the run; the credentials are erased from it when it ends."""
    device = get_or_gone(Device.objects.all(), pk=device_id)
    run.report(0, 1, _("Reading the agent of %(device)s at %(address)s") % {"device": device, "address": address})
    try:
        reading = snmp.read(address, port, snmp.Credentials(**credentials))
    except snmp.SnmpError as error:
        raise Refused(error.message) from None
    return reading.as_dict()


def start(user: Any, device: Device, data: dict[str, Any], credentials: snmp.Credentials) -> Any:
    """Start reading the device with the cleaned form `data`; the run."""
    return scan.start(user=user, device_id=device.pk, address=data["address"].strip(), port=data["port"],
                      credentials=asdict(credentials), vrf_id=data["vrf"].pk if data["vrf"] else None)


@job(label=gettext_lazy("Run an SNMP discovery sweep"), key="sweep_id", max_attempts=1)
def sweep(run: Any, sweep_id: int) -> dict[str, int]:
    """Read the sweep's devices and keep what differs from the records as findings to review."""
    found = get_or_gone(Sweep.objects.all(), pk=sweep_id)
    try:
        return sweeps.run(found, progress=run.report)
    except (sweeps.NoCredentials, SecretUnreadable) as error:
        raise Refused(str(error)) from None


@job(label=gettext_lazy("Run the SNMP discovery sweeps"), schedulable=True)
def sweep_all(run: Any) -> dict[str, int]:
    """Start every enabled sweep on its network zone's queue; how many were started per zone."""
    zones: dict[str, list[dict[str, int]]] = {}
    for pk, zone in Sweep.objects.filter(enabled=True).values_list("pk", "zone"):
        zones.setdefault(zone, []).append({"sweep_id": pk})
    for zone, arguments in zones.items():
        sweep.start_many(arguments, queue=zone, user=run.started_by)
    return {zone: len(arguments) for zone, arguments in zones.items()}
