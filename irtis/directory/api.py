"""Domains through the API, beside their generic CRUD (`/api/directory/directory-domains/`):

PUT  /api/directory/directory-domains/<id>/bind-password/  {"password": "..."} → 204 (never read back)
POST /api/directory/directory-domains/<id>/read/           → 202 {"run": "<uuid>"}
GET  /api/directory/directory-domains/<id>/reading/        → the latest reading and its differences
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import Endpoints, api, described, json_response
from irtis.core.registry import ModelEntry, entry_for

from . import credentials, readings, views
from .models import DirectoryDomain, DomainController, Reading

router = Router(tags=[described(gettext_lazy("Active Directory"))])


def _domain(request: HttpRequest, pk: int, action: str) -> DirectoryDomain:
    entry = entry_for(DirectoryDomain)
    assert isinstance(entry, ModelEntry)
    Endpoints(entry).authorise(request, action)  # read-only tokens stop here for writes
    try:
        return permissions.obtain(DirectoryDomain.objects.all(), request.user, action, pk)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    except Http404:
        raise HttpError(404, _("Not found.")) from None


class PasswordIn(Schema):
    password: str


@router.put("/directory-domains/{int:pk}/bind-password/", operation_id="directory_domain_bind_password",
            url_name="directory_domain_bind_password", response={204: None},
            summary=described(gettext_lazy("Set a domain's bind password (stored encrypted, never returned)")))
def set_password(request: HttpRequest, pk: int, payload: PasswordIn) -> HttpResponse:
    domain = _domain(request, pk, "change")
    if not payload.password or len(payload.password) > 255:
        raise HttpError(400, _("password: enter the bind password (at most 255 characters)."))
    credentials.set_password(domain, payload.password)
    return HttpResponse(status=204)


class Started(Schema):
    run: str


@router.post("/directory-domains/{int:pk}/read/", operation_id="directory_domain_read",
             url_name="directory_domain_read", response={202: Started},
             summary=described(gettext_lazy("Read the domain from AD now")))
def read(request: HttpRequest, pk: int) -> HttpResponse:
    run = views.start(request.user, _domain(request, pk, "change"))
    return json_response({"run": str(run.pk)}, status=202)


@router.get("/directory-domains/{int:pk}/reading/", operation_id="directory_domain_reading",
            url_name="directory_domain_reading", response=dict[str, Any],
            summary=described(gettext_lazy(
                "The latest reading of the domain from AD and how it differs from the records")))
def reading(request: HttpRequest, pk: int) -> HttpResponse:
    domain = _domain(request, pk, "view")
    found = readings.latest(domain)
    if found is None:
        raise HttpError(404, _("The domain has not been read yet."))
    return json_response(as_dict(domain, found, permissions.has(request.user, DomainController, "view")))


def as_dict(domain: DirectoryDomain, found: Reading, with_differences: bool) -> dict[str, Any]:
    """The reading with its sites, subnets, controllers (and their health), connections and trusts."""
    def rows(manager: Any, *names: str) -> list[dict[str, Any]]:
        return list(manager.values(*names))

    return {
        "id": found.pk, "read_at": found.read_at, "ok": found.ok, "error": found.error, "server": found.server,
        "domain_level": found.domain_level, "forest_level": found.forest_level, "fsmo": found.fsmo,
        "replication_status": found.replication_status,
        "sites": rows(found.sites, "name", "description"),
        "subnets": rows(found.subnets, "prefix", "site", "location"),
        "controllers": rows(found.controllers, "name", "dns_name", "site", "global_catalog", "read_only",
                            "fsmo_roles", "reachable", "error", "time_offset", "synchronized", "gc_ready",
                            "highest_usn", "replication_failures"),
        "connections": rows(found.connections, "from_server", "to_server", "from_site", "to_site", "site_link",
                            "enabled"),
        "trusts": rows(found.trusts, "partner", "flat_name", "direction", "kind", "transitive", "forest"),
        "differences": [{"kind": d.kind, "name": d.name, "message": d.message}
                        for d in readings.differences(domain, found)] if with_differences else [],
    }


api.add_router("/directory/", router)
