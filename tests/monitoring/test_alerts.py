"""The alert webhook with payloads in Alertmanager's (webhook version 4) and the Zabbix media
type's documented formats: tokens, mapping, de-duplication, recovery before problem."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from irtis.audit.models import AuditEntry
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission
from irtis.monitoring.models import Alert, Incident
from tests.monitoring.test_incidents import array_estate

pytestmark = pytest.mark.django_db
T = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def alertmanager(status: str, host: str, at: datetime, fingerprint: str = "f1", name: str = "NodeDown") -> dict:
    return {
        "version": "4", "groupKey": f'{{}}:{{alertname="{name}"}}', "truncatedAlerts": 0, "status": status,
        "receiver": "irtis", "groupLabels": {"alertname": name}, "commonLabels": {"alertname": name},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
        "alerts": [{
            "status": status, "labels": {"alertname": name, "instance": f"{host}:9100", "job": "node"},
            "annotations": {"summary": "down"},
            "startsAt": iso(at if status == "firing" else at - timedelta(minutes=5)),
            "endsAt": iso(at) if status == "resolved" else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph", "fingerprint": fingerprint,
        }],
    }


def zabbix(value: int, host: str, at: datetime, event_id: str = "4711") -> dict:
    return {"event_id": event_id, "value": str(value), "name": "Unavailable by ICMP ping", "host": host,
            "ip": "", "severity": "High", "time": str(int((at - timedelta(minutes=5)).timestamp())),
            "recovery_time": str(int(at.timestamp())) if value == 0 else "",
            "tags": [{"tag": "service", "value": "storage"}]}


@pytest.fixture
def sender(django_user_model: Any) -> Client:
    user = django_user_model.objects.create_user("zabbix", password="x-Long-password-1")
    grant = ObjectPermission.objects.create(name="alerts", actions=["add"])
    grant.users.add(user)
    grant.object_types.add(ContentType.objects.get_for_model(Incident))
    _token, plain = tokens.issue(user)
    return Client(headers={"Authorization": f"Bearer {plain}"})


def post(client: Client, source: str, body: dict) -> Any:
    return client.post(f"/monitoring/alerts/{source}/", json.dumps(body), content_type="application/json")


def test_without_a_valid_token_the_request_is_refused_and_audited(client: Client) -> None:
    response = post(client, "alertmanager", alertmanager("firing", "masyvas-1", T))
    assert response.status_code == 401
    bad = Client(headers={"Authorization": "Bearer irt_nonsense"})
    assert post(bad, "zabbix", zabbix(1, "x", T)).status_code == 401
    assert AuditEntry.objects.filter(action="token_refused").exists()
    assert not Alert.objects.exists()


def test_a_token_without_the_right_is_refused(django_user_model: Any) -> None:
    user = django_user_model.objects.create_user("viewer", password="x-Long-password-1")
    _token, plain = tokens.issue(user)
    response = post(Client(headers={"Authorization": f"Bearer {plain}"}), "zabbix", zabbix(1, "x", T))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="access_denied", actor=user).exists()


def test_bad_payloads_get_a_clear_400(sender: Client) -> None:
    assert post(sender, "alertmanager", {"alerts": "no"}).status_code == 400
    assert post(sender, "zabbix", {"event_id": "1", "value": "7"}).status_code == 400
    response = sender.post("/monitoring/alerts/zabbix/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert post(sender, "nagios", {}).status_code == 404


def test_alerts_are_mapped_deduplicated_and_open_one_incident_per_cause(sender: Client) -> None:
    e = array_estate()
    assert post(sender, "alertmanager", alertmanager("firing", "masyvas-1", T)).json() == {"accepted": 1}
    for _n in range(20):  # Alertmanager repeats a firing group every repeat_interval
        assert post(sender, "alertmanager", alertmanager("firing", "masyvas-1", T)).status_code == 202
    for machine in e["machines"]:  # the machines on the array, reported by Zabbix
        post(sender, "zabbix", zabbix(1, machine.name, T + timedelta(minutes=1), event_id=f"z-{machine.pk}"))
    incidents = Incident.objects.filter(source="alert")
    assert incidents.count() == 1
    incident = incidents.get()
    assert incident.systems.count() == 11 and incident.linked.count() == 12
    assert Alert.objects.get(source="alertmanager").received == 21


def test_a_recovery_before_its_problem_leaves_the_alert_resolved(sender: Client) -> None:
    array_estate()
    post(sender, "zabbix", zabbix(0, "masyvas-1", T))  # the recovery came first
    post(sender, "zabbix", zabbix(1, "masyvas-1", T - timedelta(minutes=5)))
    alert = Alert.objects.get()
    assert alert.firing is False and alert.received == 2 and alert.changes.count() == 2
    assert not Incident.objects.filter(status="open").exists()


def test_a_recovery_resolves_the_incident(sender: Client) -> None:
    array_estate()
    post(sender, "alertmanager", alertmanager("firing", "masyvas-1", T))
    assert Incident.objects.get().status == "open"
    recovery = alertmanager("resolved", "masyvas-1", T + timedelta(hours=1))
    assert post(sender, "alertmanager", recovery).status_code == 202
    assert Incident.objects.get().status == "resolved"


def test_an_alert_naming_nothing_known_is_kept_unmapped(sender: Client) -> None:
    assert post(sender, "alertmanager", alertmanager("firing", "10.99.0.1", T)).status_code == 202
    assert Alert.objects.get().object_id is None and not Incident.objects.exists()


def test_availability_counts_every_time_an_alert_fired_even_when_told_out_of_order(sender: Client) -> None:
    from irtis.monitoring.availability import object_availability
    from irtis.monitoring.models import AlertChange

    e = array_estate()
    day = (T.replace(hour=0), T.replace(hour=0) + timedelta(days=1))
    post(sender, "alertmanager", alertmanager("firing", "masyvas-1", T))  # down 08:00–09:00
    post(sender, "alertmanager", alertmanager("resolved", "masyvas-1", T + timedelta(hours=1)))
    # a second outage 10:00–11:00, its recovery told before its problem (stale, yet history;
    # zabbix() dates a problem five minutes before the time it is given)
    post(sender, "zabbix", zabbix(0, "masyvas-1", T + timedelta(hours=3), event_id="z1"))
    post(sender, "zabbix", zabbix(1, "masyvas-1", T + timedelta(hours=2, minutes=5), event_id="z1"))
    post(sender, "zabbix", zabbix(1, "masyvas-1", T + timedelta(hours=2, minutes=5), event_id="z1"))  # told twice
    assert Alert.objects.get(fingerprint="z1").firing is False  # stale: history, kept once
    assert AlertChange.objects.count() == 4
    node = (ContentType.objects.get_for_model(e["array"]).id, e["array"].pk)
    measure = object_availability(node, {"day": day}, now=day[1])["day"]
    assert measure.down == 2 * 3600
