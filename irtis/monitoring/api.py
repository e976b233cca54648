"""Monitoring through the API, beside the registered models' CRUD:

PUT /api/monitoring/checks/<id>/snmp-credentials/  {"version": "2c", "community": "..."} or
    {"version": "3", "user": "...", "level": "authPriv", "auth_protocol": "SHA", "auth_key": "...",
     "priv_protocol": "AES", "priv_key": "..."} → 204 (write-only: never read back)
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from ninja import Router

from irtis.core.api import api, described
from irtis.discovery.api import CredentialsIn
from irtis.discovery.sweep_api import store_credentials

from . import credential_views, credentials
from .models import Check

router = Router(tags=[described(gettext_lazy("Monitoring"))])


@router.put("/{int:pk}/snmp-credentials/", operation_id="monitoring_check_snmp_credentials",
            url_name="monitoring_check_snmp_credentials", response={204: None},
            summary=described(gettext_lazy(
                "Set an SNMP check's community or SNMPv3 user and keys (stored encrypted, never returned)")))
def set_credentials(request: HttpRequest, pk: int, payload: CredentialsIn) -> HttpResponse:
    return store_credentials(request, Check, credential_views.one, pk, payload, credentials.set_credentials)


api.add_router("/monitoring/checks/", router)
