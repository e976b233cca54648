"""Reading a device's agent as a background run: the page shows its progress, then the preview."""

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.inventory.models import Device
from irtis.tasks.runs import Refused, get_or_gone, job

from . import snmp


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
