"""Free space and allocation endpoints, next to the generic CRUD of prefixes.

GET  /api/network/prefixes/<id>/available-ips/?limit=10
POST /api/network/prefixes/<id>/available-ips/        {"count": 2, "dns_name": "…"}
GET  /api/network/prefixes/<id>/available-prefixes/?length=24
POST /api/network/prefixes/<id>/available-prefixes/   {"length": 24, "status": "active"}
GET  /api/network/ip-ranges/<id>/available-ips/?limit=10
POST /api/network/ip-ranges/<id>/available-ips/        {"count": 1, "dns_name": "…"}
PUT  /api/network/fhrp-groups/<id>/auth-key/           {"key": "…"} (write-only; "" clears it)
"""

from typing import Any, Literal, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from irtis.core import registry
from irtis.core.api import Endpoints, InvalidData, api, described, json_response

from . import allocation, fhrp_keys
from .models import FHRPGroup, IPAddress, IPRange, Prefix

router = Router(tags=[described(gettext_lazy("IP allocation"))])
ranges = Router(tags=[described(gettext_lazy("IP allocation"))])
fhrp = Router(tags=[described(gettext_lazy("FHRP groups"))])


def _choices(choices: list[tuple[str, Any]]) -> Any:
    return Literal[tuple(value for value, _label in choices)]


class IPRequest(Schema):
    count: int = Field(1, ge=1, le=allocation.MAX_COUNT, description="how many addresses")
    status: _choices(IPAddress.Status.choices) = IPAddress.Status.ACTIVE  # type: ignore[valid-type]
    role: _choices([("", ""), *IPAddress.Role.choices]) = ""  # type: ignore[valid-type]
    dns_name: str = Field("", max_length=255)
    description: str = Field("", max_length=200)


class PrefixRequest(Schema):
    length: int = Field(..., ge=1, le=128, description="prefix length of the new child")
    status: _choices(Prefix.Status.choices) = Prefix.Status.ACTIVE  # type: ignore[valid-type]
    description: str = Field("", max_length=200)
    site: int | None = None
    vlan: int | None = None
    zone: int | None = None


class FreeAddress(Schema):
    address: str
    vrf: int | None


class FreePrefix(Schema):
    prefix: str
    vrf: int | None


def _endpoints(model: type[models.Model]) -> Endpoints:
    return Endpoints(cast(registry.ModelEntry, registry.entry_for(model)))  # a registered model


def _parent(request: HttpRequest, pk: int) -> Prefix:
    return cast(Prefix, _visible(request, Prefix, pk))


def _visible(request: HttpRequest, model: type[models.Model], pk: int, action: str = "view") -> Any:
    """The object if the user may `action` it, else 404 (as for an object that does not exist)."""
    found = _endpoints(model).authorise(request, action).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, _("Not found."))
    return found


def _rows(model: type[models.Model], objects: list[Any]) -> list[dict[str, Any]]:
    """The created objects as the generic API returns them."""
    return _endpoints(model).rows(model._default_manager.filter(pk__in=[o.pk for o in objects]).order_by("pk"), False)


def _invalid(error: ValidationError) -> InvalidData:
    return InvalidData(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages})


@router.get(
    "/{int:pk}/available-ips/",
    response=list[FreeAddress],
    operation_id="network_prefix_available_ips",
    summary=described(gettext_lazy("First free addresses of a prefix")),
)
def list_available_ips(request: HttpRequest, pk: int, limit: int = 10) -> list[dict[str, Any]]:
    parent = _parent(request, pk)
    if not 1 <= limit <= 1000:
        raise HttpError(400, _("limit must be 1 to %(max)d and offset 0 or more.") % {"max": 1000})
    return [
        {"address": f"{a}/{parent.length}", "vrf": parent.vrf_id} for a in allocation.available_ips(parent, limit)
    ]


@router.post(
    "/{int:pk}/available-ips/",
    response={201: list[Any]},
    operation_id="network_prefix_allocate_ips",
    summary=described(gettext_lazy("Allocate the next free addresses of a prefix")),
)
def allocate_ips(request: HttpRequest, pk: int, payload: IPRequest) -> HttpResponse:
    _endpoints(IPAddress).authorise(request, "add")
    parent = _parent(request, pk)
    values = payload.model_dump(exclude={"count"})
    try:
        created = allocation.allocate_ips(parent.pk, payload.count, values)
    except ValidationError as error:
        raise _invalid(error) from None
    return json_response(_rows(IPAddress, created), 201)


@router.get(
    "/{int:pk}/available-prefixes/",
    response=list[FreePrefix],
    operation_id="network_prefix_available_prefixes",
    summary=described(gettext_lazy("First free child prefixes of a length")),
)
def list_available_prefixes(request: HttpRequest, pk: int, length: int, limit: int = 10) -> list[dict[str, Any]]:
    parent = _parent(request, pk)
    if not 1 <= limit <= 1000:
        raise HttpError(400, _("limit must be 1 to %(max)d and offset 0 or more.") % {"max": 1000})
    if not parent.length < length <= parent.network.max_prefixlen:
        raise HttpError(
            400,
            _("A child of %(prefix)s has a length from %(low)d to %(high)d.")
            % {"prefix": parent, "low": parent.length + 1, "high": parent.network.max_prefixlen},
        )
    blocks = allocation.available_prefixes(parent, length, limit)
    return [{"prefix": str(b), "vrf": parent.vrf_id} for b in blocks]


@router.post(
    "/{int:pk}/available-prefixes/",
    response={201: Any},
    operation_id="network_prefix_allocate_prefix",
    summary=described(gettext_lazy("Allocate the next free child prefix")),
)
def allocate_prefix(request: HttpRequest, pk: int, payload: PrefixRequest) -> HttpResponse:
    _endpoints(Prefix).authorise(request, "add")
    parent = _parent(request, pk)
    values = payload.model_dump(exclude={"length", "site", "vlan", "zone"})
    values.update({f"{name}_id": getattr(payload, name) for name in ("site", "vlan", "zone")})
    try:
        created = allocation.allocate_prefix(parent.pk, payload.length, values)
    except ValidationError as error:
        raise _invalid(error) from None
    return json_response(_rows(Prefix, [created])[0], 201)


@router.post("/{int:pk}/allocate/", include_in_schema=False, url_name="network_prefix_allocate_form")
def allocate_from_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation buttons of a prefix page (an HTML form): allocate, then show the result.

    Lives here because an app cannot add pages to the URL configuration yet; it answers with a
    redirect and a message like any form view, never with JSON.
    """
    parent = _parent(request, pk)
    what, back = request.POST.get("what"), redirect(parent.get_absolute_url())
    try:
        if what == "prefix":
            _endpoints(Prefix).authorise(request, "add")
            created: list[Prefix] | list[IPAddress] = [
                allocation.allocate_prefix(
                    parent.pk,
                    _number(request, "length"),
                    {"status": Prefix.Status.ACTIVE, "site_id": parent.site_id, "zone_id": parent.zone_id},
                )
            ]
        else:
            _endpoints(IPAddress).authorise(request, "add")
            created = allocation.allocate_ips(parent.pk, _number(request, "count"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    names = ", ".join(str(o) for o in created)
    messages.success(request, _("Allocated: %(objects)s") % {"objects": names})
    return redirect(created[0].get_absolute_url()) if len(created) == 1 else back


def _number(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, "1"))
    except ValueError:
        raise ValidationError(_("Enter a whole number.")) from None


@ranges.get(
    "/{int:pk}/available-ips/",
    response=list[FreeAddress],
    operation_id="network_ip_range_available_ips",
    summary=described(gettext_lazy("First free addresses of an IP range")),
)
def list_range_ips(request: HttpRequest, pk: int, limit: int = 10) -> list[dict[str, Any]]:
    ip_range = cast(IPRange, _visible(request, IPRange, pk))
    if not 1 <= limit <= 1000:
        raise HttpError(400, _("limit must be 1 to %(max)d and offset 0 or more.") % {"max": 1000})
    length = allocation.range_mask(ip_range)
    free = allocation.available_in_range(ip_range, limit)
    return [{"address": f"{a}/{length}", "vrf": ip_range.vrf_id} for a in free]


@ranges.post(
    "/{int:pk}/available-ips/",
    response={201: list[Any]},
    operation_id="network_ip_range_allocate_ips",
    summary=described(gettext_lazy("Allocate the next free addresses of an IP range")),
)
def allocate_range_ips(request: HttpRequest, pk: int, payload: IPRequest) -> HttpResponse:
    _endpoints(IPAddress).authorise(request, "add")
    ip_range = _visible(request, IPRange, pk)
    try:
        created = allocation.allocate_in_range(ip_range.pk, payload.count, payload.model_dump(exclude={"count"}))
    except ValidationError as error:
        raise _invalid(error) from None
    return json_response(_rows(IPAddress, created), 201)


@ranges.post("/{int:pk}/allocate/", include_in_schema=False, url_name="network_ip_range_allocate_form")
def allocate_range_from_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The "next free address" button of a range page (an HTML form, as the prefix page's)."""
    ip_range = _visible(request, IPRange, pk)
    back = redirect(ip_range.get_absolute_url())
    try:
        _endpoints(IPAddress).authorise(request, "add")
        created = allocation.allocate_in_range(ip_range.pk, _number(request, "count"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(request, _("Allocated: %(objects)s") % {"objects": ", ".join(str(o) for o in created)})
    return redirect(created[0].get_absolute_url()) if len(created) == 1 else back


class KeyRequest(Schema):
    key: str = Field(..., max_length=64, description="the authentication key; empty clears it")


@fhrp.put(
    "/{int:pk}/auth-key/",
    response={204: None},
    operation_id="network_fhrp_group_set_auth_key",
    summary=described(gettext_lazy("Set or clear an FHRP group's authentication key (write-only)")),
)
def set_auth_key(request: HttpRequest, pk: int, payload: KeyRequest) -> tuple[int, None]:
    group = cast(FHRPGroup, _visible(request, FHRPGroup, pk, "change"))
    try:
        fhrp_keys.set_key(group, payload.key)
    except ValidationError as error:
        raise _invalid(error) from None
    return 204, None


@fhrp.post("/{int:pk}/auth-key-form/", include_in_schema=False, url_name="network_fhrp_group_key_form")
def set_auth_key_from_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The key form of a group's page: the key is posted, never shown back."""
    group = cast(FHRPGroup, _visible(request, FHRPGroup, pk, "change"))
    try:
        fhrp_keys.set_key(group, request.POST.get("key", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authentication key was saved."))
    return redirect(group.get_absolute_url())


api.add_router("/network/prefixes/", router)
api.add_router("/network/ip-ranges/", ranges)
api.add_router("/network/fhrp-groups/", fhrp)
