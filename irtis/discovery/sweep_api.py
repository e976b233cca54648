"""Sweeps through the API, beside their generic CRUD (`/api/discovery/sweeps/`):

PUT  /api/discovery/sweeps/<id>/snmp-credentials/  {"version": "2c", "community": "..."} or SNMPv3 → 204
     (write-only: never read back)
POST /api/discovery/sweeps/<id>/run/               → 202 {"run": "<uuid>"}; 409 without credentials
GET  /api/discovery/findings/?sweep=<id>&outcome=&review=  → the findings, to review on the device's page
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from irtis.core.api import Endpoints, api, described, json_response
from irtis.core.registry import ModelEntry, entry_for

from . import credentials, jobs, snmp, sweeps
from .api import CredentialsIn
from .forms import CredentialsForm
from .models import Finding, Sweep
from .views import changeable_sweep

router = Router(tags=[described(gettext_lazy("SNMP discovery"))])


def store_credentials(request: HttpRequest, model: type, find: Callable[[Any, int], Any], pk: int,
                      payload: CredentialsIn, store: Callable[[Any, snmp.Credentials], None]) -> HttpResponse:
    """PUT of an object's SNMP credentials (a sweep's, a check's): 204, or 400 / 403 / 404."""
    obj = _changeable(request, model, find, pk)
    form = CredentialsForm(payload.dict())
    if not form.is_valid():
        raise HttpError(400, " ".join(f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()))
    store(obj, form.credentials())
    return HttpResponse(status=204)


def _changeable(request: HttpRequest, model: type, find: Callable[[Any, int], Any], pk: int) -> Any:
    entry = entry_for(model)
    assert isinstance(entry, ModelEntry)
    Endpoints(entry).authorise(request, "change")  # read-only tokens stop here
    try:
        return find(request.user, pk)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    except Http404:
        raise HttpError(404, _("Not found.")) from None


@router.put("/sweeps/{int:pk}/snmp-credentials/", operation_id="discovery_sweep_snmp_credentials",
            url_name="discovery_sweep_snmp_credentials", response={204: None},
            summary=described(gettext_lazy(
                "Set a sweep's community or SNMPv3 user and keys (stored encrypted, never returned)")))
def set_credentials(request: HttpRequest, pk: int, payload: CredentialsIn) -> HttpResponse:
    return store_credentials(request, Sweep, changeable_sweep, pk, payload, credentials.set_credentials)


class Started(Schema):
    run: str


@router.post("/sweeps/{int:pk}/run/", operation_id="discovery_sweep_run", url_name="discovery_sweep_run",
             response={202: Started}, summary=described(gettext_lazy("Start a sweep on its zone's queue")))
def run(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = _changeable(request, Sweep, changeable_sweep, pk)
    if not credentials.has_credentials(sweep):
        raise HttpError(409, _("The sweep %(sweep)s has no SNMP credentials: set them first.") % {"sweep": sweep})
    started = jobs.sweep.start(queue=sweep.zone, user=request.user, sweep_id=sweep.pk)
    return json_response({"run": str(started.pk)}, status=202)


class FindingOut(Schema):
    id: int
    sweep: int
    device: int
    device_name: str
    address: str
    read_at: datetime
    outcome: str
    message: str
    review: str
    summary: dict[str, Any]


@router.get("/findings/", operation_id="discovery_findings", url_name="discovery_findings",
            response=list[FindingOut],
            summary=described(gettext_lazy("What the sweeps found, newest reading of each device")))
def findings(request: HttpRequest, sweep: int | None = None, outcome: str = "", review: str = "") -> HttpResponse:
    entry = entry_for(Sweep)
    assert isinstance(entry, ModelEntry)
    Endpoints(entry).authorise(request, "view")
    for value, allowed in ((outcome, Finding.Outcome.values), (review, Finding.Review.values)):
        if value and value not in allowed:
            raise HttpError(400, _("Unknown value %(value)s: choose one of %(allowed)s.") % {
                "value": value, "allowed": ", ".join(allowed)})
    rows = sweeps.seen_by(request.user)
    if sweep is not None:
        rows = rows.filter(sweep_id=sweep)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if review:
        rows = rows.filter(review=review)
    return json_response([{
        "id": f.pk, "sweep": f.sweep_id, "device": f.device_id, "device_name": f.device.name, "address": f.address,
        "read_at": f.read_at.isoformat(), "outcome": f.outcome, "message": f.message, "review": f.review,
        "summary": f.summary} for f in rows.select_related("device").order_by("device__name", "pk")[:5000]])


api.add_router("/discovery/", router)
