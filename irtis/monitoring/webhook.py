"""`POST /monitoring/alerts/<alertmanager|zabbix>/` with `Authorization: Bearer <API token>`.

The token is an irtis API token (Administration → tokens) of a user who may add incidents,
not read-only. A request without a valid token is refused (401) and the refusal audited as
every refused token is (`irtis.identity.tokens`); a valid token without the right is refused
(403) and audited as `access_denied`. The answer counts the alerts taken as new, repeated,
stale (older than what is known: a problem arriving after its recovery) and unmapped."""

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from irtis.audit.context import changes_by
from irtis.audit.models import Action, Source
from irtis.core import permissions
from irtis.identity import tokens
from irtis.identity.events import client_ip, record

from . import alerts
from .models import Incident

MAX_BODY = 2 * 1024 * 1024  # bytes: Alertmanager groups alerts, but not this many


@csrf_exempt  # a machine's POST with a bearer token, no session cookie
@require_POST
def receive(request: HttpRequest, source: str) -> JsonResponse:
    if source not in alerts.PARSERS:
        return JsonResponse({"detail": _("Unknown alert source.")}, status=404)
    scheme, _sep, plain = request.headers.get("Authorization", "").partition(" ")
    try:
        token = tokens.check(plain.strip() if scheme.lower() == "bearer" else "", client_ip(request))
    except tokens.RateLimited as limited:
        return JsonResponse({"detail": _("Too many refused tokens from your address. Try again in %(seconds)d "
                                         "seconds.") % {"seconds": limited.seconds}}, status=429)
    if token is None:
        return JsonResponse({"detail": _("A valid API token is required.")}, status=401)
    if token.read_only or not permissions.has(token.user, Incident, "add"):
        record(Action.ACCESS_DENIED, f"alerts/{source}", user=token.user, source_ip=client_ip(request))
        return JsonResponse({"detail": _("This token may not send alerts.")}, status=403)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"detail": _("The notification is too large.")}, status=413)
    try:
        events = alerts.PARSERS[source](json.loads(request.body))
    except (ValueError, alerts.BadPayload) as exc:
        return JsonResponse({"detail": _("Not a notification of this source: %(reason)s") % {"reason": exc}},
                            status=400)
    with changes_by(token.user, Source.API, source_ip=client_ip(request)):
        counts = alerts.receive(source, events)
    return JsonResponse(counts, status=202)
