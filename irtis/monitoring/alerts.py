"""External alerts: Prometheus Alertmanager's webhook and a Zabbix webhook media type, parsed
into `Event`s, mapped to irtis objects, de-duplicated and applied in the order of their own
times, not of arrival.

Alertmanager (webhook payload version 4): `alerts[]` with `status`, `labels`, `annotations`,
`startsAt`, `endsAt`, `fingerprint`. Zabbix: the media type's parameters as JSON:
`{"event_id": "{EVENT.ID}", "value": "{EVENT.VALUE}", "name": "{EVENT.NAME}", "host": "{HOST.HOST}",
"ip": "{HOST.IP}", "time": "{EVENT.TIMESTAMP}", "recovery_time": "{EVENT.RECOVERY.TIMESTAMP}",
"tags": {EVENT.TAGSJSON}}` (value 1: problem, 0: recovery; a recovery carries the problem's
event id, so both are one alert).

An object is found by, in order: a label or tag `irtis` naming it ("inventory.device-7"), the
IP address (the `instance` label's host, Zabbix's `ip`), the name of a device, virtual machine,
DBMS instance or the code of an information system (`instance`, `host`, Zabbix's `host`).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.dateparse import parse_datetime

from irtis.changes.windows import under_maintenance
from irtis.databases.models import DBMSInstance
from irtis.inventory.models import Device
from irtis.network.models import IPAddress
from irtis.systems.graph import Node, UnknownObject, existing, parse
from irtis.systems.models import InformationSystem
from irtis.virtualization.models import VirtualMachine

from . import incidents, locks
from .models import Alert, AlertChange, Incident


class BadPayload(ValueError):
    """The body is not a notification in the expected format; the message says why."""


@dataclass(frozen=True)
class Event:
    fingerprint: str
    name: str
    firing: bool
    at: dt.datetime
    hints: tuple[str, ...]  # names, addresses or "irtis" references of the object, best first


def _time(value: Any, what: str) -> dt.datetime:
    text = str(value or "").strip()
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    parsed = parse_datetime(text) if text else None
    if parsed is None or parsed.tzinfo is None:
        raise BadPayload(f"{what}: not a time with a zone: {text!r}")
    return parsed


def alertmanager(body: Any) -> list[Event]:
    if not isinstance(body, dict) or not isinstance(body.get("alerts"), list):
        raise BadPayload("an Alertmanager notification has a list `alerts`")
    events = []
    for alert in body["alerts"]:
        if not isinstance(alert, dict) or not isinstance(alert.get("labels"), dict):
            raise BadPayload("each alert has `labels`")
        labels = {str(k): str(v) for k, v in alert["labels"].items()}
        firing = alert.get("status") == "firing"
        at = _time(alert.get("startsAt") if firing else alert.get("endsAt"), "startsAt/endsAt")
        fingerprint = str(alert.get("fingerprint") or sorted(labels.items()))
        instance = labels.get("instance", "")
        host = instance.rsplit(":", 1)[0].strip("[]") if instance else ""
        hints = tuple(h for h in (labels.get("irtis", ""), host, labels.get("host", ""), labels.get("job", "")) if h)
        events.append(Event(fingerprint[:200], labels.get("alertname", "")[:300], firing, at, hints))
    return events


def zabbix(body: Any) -> list[Event]:
    if not isinstance(body, dict) or not body.get("event_id") or str(body.get("value")) not in ("0", "1"):
        raise BadPayload("a Zabbix notification has `event_id` and `value` 1 (problem) or 0 (recovery)")
    firing = str(body["value"]) == "1"
    at = _time(body.get("time") if firing else body.get("recovery_time") or body.get("time"), "time")
    tags = body.get("tags") or []
    irtis = next((str(t.get("value", "")) for t in tags if isinstance(t, dict) and t.get("tag") == "irtis"), "")
    hints = tuple(h for h in (irtis, str(body.get("ip") or ""), str(body.get("host") or "")) if h)
    return [Event(str(body["event_id"])[:200], str(body.get("name") or "")[:300], firing, at, hints)]


PARSERS = {"alertmanager": alertmanager, "zabbix": zabbix}


def find(hints: tuple[str, ...]) -> Node | None:
    """The object the hints name (see the module's docstring), or None."""
    for hint in hints:
        if "." in hint and "-" in hint and not hint[0].isdigit():
            try:
                return existing([parse(hint)])[0]
            except UnknownObject:
                continue
        ip = IPAddress.objects.filter(address__startswith=f"{hint}/").only("pk").first()
        if ip is not None:
            return (ContentType.objects.get_for_model(IPAddress).id, ip.pk)
        for model, field in ((Device, "name"), (VirtualMachine, "name"), (DBMSInstance, "name"),
                             (InformationSystem, "code")):
            pk = model._default_manager.filter(**{field: hint}).values_list("pk", flat=True).first()
            if pk is not None:
                return (ContentType.objects.get_for_model(model).id, pk)
    return None


def receive(source: str, events: list[Event]) -> dict[str, int]:
    """Apply the events; counts of new, repeated, stale (older than what is known) and
    unmapped ones.

    Most notifications repeat what is known (Alertmanager resends a firing group every
    repeat_interval; Zabbix escalations): those are settled with one read of the payload's
    alerts and one UPDATE counting them, whatever their number. Only alerts that are new or
    change state take the locked path that maps them and follows incidents. Deciding "repeat"
    without the lock is safe: an alert's status time only grows, so an event that is not newer
    than the stored status stays so, and one of the same status changes nothing either way."""
    counts = {"new": 0, "repeated": 0, "stale": 0, "unmapped": 0}
    known = {a.fingerprint: a for a in Alert.objects.filter(
        source=source, fingerprint__in={e.fingerprint for e in events}).only("pk", "fingerprint", "firing", "event_at")}
    settled: dict[int, int] = {}  # alert id → notifications to count
    late: list[AlertChange] = []  # stale events: older than the alert's status, still its history
    changed: dict[Node, dt.datetime] = {}  # objects whose alerts changed (at one time), incidents not followed yet
    for event in events:
        if changed and next(iter(changed.values())) != event.at:
            _follow(changed)
            changed = {}
        alert = known.get(event.fingerprint)
        outcome = _repeat(alert, event) if alert is not None else None
        if alert is None or outcome is None:
            outcome, alert = _apply(source, event)
            known[event.fingerprint] = alert  # as it now is
            counts[outcome] += 1
            if outcome == "new" and alert.object_id is not None and alert.object_type_id is not None:
                changed[(alert.object_type_id, alert.object_id)] = event.at
            continue
        counts[outcome] += 1
        settled[alert.pk] = settled.get(alert.pk, 0) + 1
        if outcome == "stale":
            late.append(AlertChange(alert_id=alert.pk, firing=event.firing, at=event.at))
    if changed:
        _follow(changed)
    if late:
        AlertChange.objects.bulk_create(late, ignore_conflicts=True)
    by_count: dict[int, list[int]] = {}
    for pk, times in settled.items():
        by_count.setdefault(times, []).append(pk)
    for times, pks in by_count.items():  # one statement unless an alert repeats within the payload
        Alert.objects.filter(pk__in=pks).update(received=F("received") + times)
    return counts


def _repeat(alert: Alert, event: Event) -> str | None:
    """"stale" or "repeated" if the event changes nothing of the alert; None if it does."""
    if event.at < alert.event_at:
        return "stale"
    if event.firing == alert.firing:
        return "repeated"
    return None


def _apply(source: str, event: Event) -> tuple[str, Alert]:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(source=source, fingerprint=event.fingerprint).first()
        if alert is None:
            node = find(event.hints)
            alert = Alert(source=source, fingerprint=event.fingerprint, name=event.name, firing=event.firing,
                          event_at=event.at, object_type_id=node[0] if node else None,
                          object_id=node[1] if node else None)
            try:
                with transaction.atomic():
                    alert.save()
            except IntegrityError:  # a concurrent request made it first: this one is a repeat
                return _apply(source, event)
            AlertChange.objects.create(alert=alert, firing=event.firing, at=event.at)
            outcome = "new" if node else "unmapped"
        else:
            Alert.objects.filter(pk=alert.pk).update(received=alert.received + 1)
            if event.at < alert.event_at:
                AlertChange.objects.bulk_create([AlertChange(alert=alert, firing=event.firing, at=event.at)],
                                                ignore_conflicts=True)
                return "stale", alert
            if event.firing == alert.firing:
                return "repeated", alert
            alert.firing, alert.event_at = event.firing, event.at
            alert.save(update_fields=["firing", "event_at"])
            AlertChange.objects.create(alert=alert, firing=event.firing, at=event.at)
            outcome = "new" if alert.object_id is not None else "unmapped"
        return outcome, alert


def _follow(changed: dict[Node, dt.datetime]) -> None:
    """Incidents after objects' alerts changed at one moment: each down while any of its alerts
    fires. The objects of a batch's alerts that changed at the same time are followed together
    (one walk of the graph for all of them: a cause and its consequences reported at once open
    one incident, the cause's)."""
    at = next(iter(changed.values()))
    with transaction.atomic():
        locks.incidents()
        rows = Alert.objects.filter(firing=True, object_id__isnull=False, object_type__isnull=False).values_list(
            "object_type_id", "object_id").distinct()
        down = {(t, i): "down" for t, i in rows if t is not None and i is not None}
        incidents.follow(down, set(changed), at, quiet=under_maintenance(at), source=Incident.Source.ALERT)
