"""Discovery endpoints next to the generic CRUD of devices.

POST /api/inventory/devices/<id>/discovery/preview/  {"address": "10.1.1.1", "version": "2c", "community": "…"}
     → the plan (what would be created, updated, not seen) and a `token` for applying it
POST /api/inventory/devices/<id>/discovery/apply/    {"token": "…"} → the applied plan; 409 if records changed
"""

from typing import Any, Literal, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import Endpoints, InvalidData, api, described, json_response
from irtis.core.registry import ModelEntry, entry_for
from irtis.inventory.models import Device

from . import plan as plans
from . import snmp
from .forms import DiscoveryForm
from .snmp import SnmpError
from .views import changed_message

router = Router(tags=[described(gettext_lazy("SNMP discovery"))])


class CredentialsIn(Schema):
    version: Literal["2c", "3"]
    community: str = Field("", max_length=255, description="SNMPv2c community")
    user: str = Field("", max_length=255, description="SNMPv3 user")
    level: Literal[snmp.LEVELS] = "authPriv"  # type: ignore[valid-type]
    auth_protocol: Literal[tuple(snmp.AUTH_PROTOCOLS)] = "SHA"  # type: ignore[valid-type]
    auth_key: str = Field("", max_length=255)
    priv_protocol: Literal[tuple(snmp.PRIV_PROTOCOLS)] = "AES"  # type: ignore[valid-type]
    priv_key: str = Field("", max_length=255)


class DiscoveryRequest(CredentialsIn):
    address: str = Field(..., max_length=255, description="IP address or DNS name of the agent")
    port: int = Field(161, ge=1, le=65535)
    vrf: int | None = Field(None, description="VRF id for the addresses; empty: the global table")


class ApplyRequest(Schema):
    token: str = Field(..., max_length=1_000_000, description="the token of a preview")


def _device(request: HttpRequest, pk: int) -> Device:
    Endpoints(cast(ModelEntry, entry_for(Device))).authorise(request, "change")  # read-only tokens stop here
    device = permissions.restrict(Device.objects.all(), request.user).filter(pk=pk).first()
    if device is None:
        raise HttpError(404, _("Not found."))
    try:
        plans.authorise(request.user, device)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return device


@router.post("/{int:pk}/discovery/preview/", operation_id="inventory_device_discovery_preview",
             url_name="inventory_device_discovery_preview",
             summary=described(gettext_lazy(
                 "Read a device over SNMP and show what discovery would change")), response={200: Any})
def preview(request: HttpRequest, pk: int, payload: DiscoveryRequest) -> HttpResponse:
    device = _device(request, pk)
    form = DiscoveryForm(payload.model_dump(), user=request.user)
    if not form.is_valid():
        raise InvalidData({name: list(errors) for name, errors in form.errors.items()})
    try:
        reading = form.read()
    except SnmpError as error:
        raise HttpError(504 if error.timeout else 502, error.message) from None
    plan = plans.build(device, reading, form.cleaned_data["vrf"], request.user)
    return json_response({**plan.as_dict(), "token": plans.issue(plan, request.user)})


@router.post("/{int:pk}/discovery/apply/", operation_id="inventory_device_discovery_apply",
             url_name="inventory_device_discovery_apply",
             summary=described(gettext_lazy("Apply a previewed discovery plan")), response={200: Any})
def apply(request: HttpRequest, pk: int, payload: ApplyRequest) -> HttpResponse:
    device = _device(request, pk)
    try:
        plan = plans.apply(payload.token, request.user, device)
    except plans.PlanExpired as error:
        raise HttpError(400, str(error)) from None
    except plans.PlanChanged:
        raise HttpError(409, changed_message()) from None
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        raise InvalidData(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}) from None
    return json_response(plan.as_dict())


api.add_router("/inventory/devices/", router)
