"""Monitoring through the API, beside the registered models' CRUD:

PUT /api/monitoring/checks/<id>/snmp-credentials/  {"version": "2c", "community": "..."} or
    {"version": "3", "user": "...", "level": "authPriv", "auth_protocol": "SHA", "auth_key": "...",
     "priv_protocol": "AES", "priv_key": "..."} → 204 (write-only: never read back)
"""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from irtis.core.api import Endpoints, api
from irtis.core.registry import ModelEntry, entry_for
from irtis.discovery import snmp
from irtis.discovery.forms import CredentialsForm

from . import credential_views, credentials
from .models import Check

router = Router(tags=["Monitoring"])


class CredentialsIn(Schema):
    version: Literal["2c", "3"]
    community: str = Field("", max_length=255, description="SNMPv2c community")
    user: str = Field("", max_length=255, description="SNMPv3 user")
    level: Literal[snmp.LEVELS] = "authPriv"  # type: ignore[valid-type]
    auth_protocol: Literal[tuple(snmp.AUTH_PROTOCOLS)] = "SHA"  # type: ignore[valid-type]
    auth_key: str = Field("", max_length=255)
    priv_protocol: Literal[tuple(snmp.PRIV_PROTOCOLS)] = "AES"  # type: ignore[valid-type]
    priv_key: str = Field("", max_length=255)


@router.put("/{int:pk}/snmp-credentials/", operation_id="monitoring_check_snmp_credentials",
            url_name="monitoring_check_snmp_credentials", response={204: None},
            summary="Set an SNMP check's community or SNMPv3 user and keys (stored encrypted, never returned)")
def set_credentials(request: HttpRequest, pk: int, payload: CredentialsIn) -> HttpResponse:
    entry = entry_for(Check)
    assert isinstance(entry, ModelEntry)
    Endpoints(entry).authorise(request, "change")  # read-only tokens stop here
    try:
        check = credential_views.one(request.user, pk)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    form = CredentialsForm(payload.dict())
    if not form.is_valid():
        raise HttpError(400, " ".join(f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()))
    credentials.set_credentials(check, form.credentials())
    return HttpResponse(status=204)


api.add_router("/monitoring/checks/", router)
