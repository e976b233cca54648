"""`POST /monitoring/alerts/<alertmanager|zabbix>/` with `Authorization: Bearer <API token>`.

The token is an irtis API token (Administration → tokens) of a user who may add incidents,
not read-only. A request without a valid token is refused (401) and the refusal audited as
every refused token is (`irtis.identity.tokens`: aggregated per address and interval, 429 once
an address has had too many); a valid token without the right is refused (403) and audited as
`access_denied`. A body that is not a notification of the source is refused (400, saying why),
one over 2 MiB too (413).

A well-formed notification is accepted (202, `{"accepted": <its alerts>}`) once it is stored
(`irtis.monitoring.inbox`: durable before the answer) and applied just after: mapped,
de-duplicated and applied in the order of the monitor's times, its changes audited under the
token's user. Machines post many times a second, so a sender's token and right are kept in
this process's memory for `SENDERS_KEPT` seconds: a revoked token, a deactivated user or a
right taken away are refused at most that long after; expiry and allowed networks are checked
on every request, and use is recorded as for every token."""

import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from irtis.audit.models import Action
from irtis.core import permissions
from irtis.identity import tokens
from irtis.identity.events import client_ip, record
from irtis.identity.models import APIToken

from . import alerts, inbox
from .models import Incident

logger = logging.getLogger(__name__)
MAX_BODY = 2 * 1024 * 1024  # bytes: Alertmanager groups alerts, but not this many
SENDERS_KEPT = 2.0  # seconds
_senders: dict[str, tuple[float, APIToken, bool]] = {}  # token digest → (read at, token, may send alerts)


class Accepted(JsonResponse):
    """202; once sent, this process works the inbox off (the client does not wait for it)."""

    def close(self) -> None:
        try:
            inbox.work_off()
        except Exception:  # the database is away: the notifications wait for the next one
            logger.exception("The alert inbox could not be worked off")
        finally:
            super().close()  # then Django's end of request: its connections tidied


@csrf_exempt  # a machine's POST with a bearer token, no session cookie
@require_POST
def receive(request: HttpRequest, source: str) -> JsonResponse:
    if source not in alerts.PARSERS:
        return JsonResponse({"detail": _("Unknown alert source.")}, status=404)
    status, answer = respond(source, request.headers.get("Authorization", ""),
                             int(request.META.get("CONTENT_LENGTH") or 0), lambda: request.body, client_ip(request))
    return (Accepted if status == 202 else JsonResponse)(answer, status=status)


def respond(source: str, authorization: str, length: int, read: Callable[[], bytes],
            source_ip: str | None) -> tuple[int, dict[str, object]]:
    """The status and JSON answer to a notification of a known `source` whose body, `length`
    bytes long as its header says, `read` gives; kept in the inbox if accepted (202). The view
    above and the lean route in front of Django (`irtis.monitoring.fastpath`) both answer so."""
    scheme, _sep, plain = authorization.partition(" ")
    try:
        sender = _sender(plain.strip() if scheme.lower() == "bearer" else "", source_ip)
    except tokens.RateLimited as limited:
        return 429, {"detail": _("Too many refused tokens from your address. Try again in %(seconds)d "
                                 "seconds.") % {"seconds": limited.seconds}}
    if sender is None:
        return 401, {"detail": _("A valid API token is required.")}
    token, may_send = sender
    if not may_send:
        record(Action.ACCESS_DENIED, f"alerts/{source}", user=token.user, source_ip=source_ip)
        return 403, {"detail": _("This token may not send alerts.")}
    if length > MAX_BODY or len(raw := read()) > MAX_BODY:
        return 413, {"detail": _("The notification is too large.")}
    try:
        body = raw.decode()
        events = alerts.PARSERS[source](json.loads(body))
    except (ValueError, alerts.BadPayload) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return 400, {"detail": _("Not a notification of this source: %(reason)s") % {"reason": exc}}
    inbox.accept(source, body, token.user_id, source_ip)
    return 202, {"accepted": len(events)}


def _sender(plain: str, source_ip: str | None) -> tuple[APIToken, bool] | None:
    """The valid token of this text and whether it may send alerts; None if refused."""
    key = tokens.digest(plain)
    kept = _senders.get(key)
    if kept is not None and time.monotonic() - kept[0] <= SENDERS_KEPT:
        token = tokens.admit(kept[1], source_ip)  # expiry and networks on every request
        return (token, kept[2]) if token else None
    token = tokens.admit(tokens.find(plain), source_ip)
    if token is None:
        _senders.pop(key, None)
        return None
    may_send = not token.read_only and permissions.has(token.user, Incident, "add")
    if len(_senders) > 100:  # a few machines post; no other token stays long
        _senders.clear()
    _senders[key] = (time.monotonic(), token, may_send)
    return token, may_send
