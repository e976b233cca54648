"""The webhook's inbox: a notification is kept before its answer and applied after it, in
batches, de-duplicated and in the monitor's time order; refusals as for every API token."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from irtis.audit.models import AuditEntry
from irtis.identity import tokens
from irtis.identity.models import APIToken, User
from irtis.monitoring import inbox, locks, webhook
from irtis.monitoring.models import Alert, AlertNotification, Incident
from tests.monitoring.test_incidents import array_estate

from .test_alerts import T, alertmanager, post, sender, zabbix  # noqa: F401  (sender: the fixture)

pytestmark = pytest.mark.django_db


def zabbix_user() -> User:
    return User.objects.get(username="zabbix")


def keep(source: str, body: Any) -> None:
    """What the webhook stores before answering (its answer sent, its worker killed)."""
    inbox.accept(source, body if isinstance(body, str) else json.dumps(body), zabbix_user().pk, "10.0.0.9")


def test_an_accepted_notification_is_kept_before_the_answer_and_applied_by_the_next(sender: Client) -> None:  # noqa: F811
    array_estate()
    request = RequestFactory(HTTP_AUTHORIZATION=sender.defaults["HTTP_AUTHORIZATION"]).post(
        "/monitoring/alerts/alertmanager/", json.dumps(alertmanager("firing", "masyvas-1", T)),
        content_type="application/json")
    assert webhook.receive(request, "alertmanager").status_code == 202  # answered; the worker then dies
    assert AlertNotification.objects.count() == 1 and not Alert.objects.exists()
    post(sender, "zabbix", zabbix(1, "masyvas-1", T + timedelta(minutes=1)))  # another worker's notification
    assert not AlertNotification.objects.exists()
    assert Alert.objects.count() == 2 and Incident.objects.filter(status="open").count() == 1


def test_a_batch_is_deduplicated_and_applied_in_the_monitor_s_time_order(sender: Client) -> None:  # noqa: F811
    array_estate()
    for _n in range(50):
        keep("alertmanager", alertmanager("firing", "masyvas-1", T))
    keep("alertmanager", alertmanager("resolved", "masyvas-1", T + timedelta(hours=2)))
    keep("alertmanager", alertmanager("firing", "masyvas-1", T + timedelta(hours=1)))  # told after its recovery
    assert inbox.work_off() == 52
    alert = Alert.objects.get()
    assert alert.received == 52 and alert.firing is False and alert.event_at == T + timedelta(hours=2)
    assert list(alert.changes.order_by("at").values_list("firing", flat=True)) == [True, False]  # T+1h: a repeat
    incident = Incident.objects.get()  # one incident for the cause, closed by the recovery
    assert incident.status == "resolved"
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Incident))
    assert entries.exists() and {(e.actor_id, e.source, e.source_ip) for e in entries} == {
        (zabbix_user().pk, "api", "10.0.0.9")}  # audited under the sender, as when applied at once


def test_a_recovery_before_its_problem_in_one_batch_leaves_the_alert_resolved(sender: Client) -> None:  # noqa: F811
    array_estate()
    keep("zabbix", zabbix(0, "masyvas-1", T))
    keep("zabbix", zabbix(1, "masyvas-1", T - timedelta(minutes=5)))
    inbox.work_off()
    alert = Alert.objects.get()
    assert alert.firing is False and alert.received == 2
    assert not Incident.objects.filter(status="open").exists()


def test_a_notification_that_cannot_be_applied_is_kept_and_holds_up_no_other(sender: Client) -> None:  # noqa: F811
    array_estate()
    keep("zabbix", "{not json")
    keep("zabbix", zabbix(1, "masyvas-1", T))
    assert inbox.work_off() == 2
    assert Alert.objects.get().received == 1
    kept = AlertNotification.objects.get()
    assert kept.body == "{not json" and kept.error
    assert inbox.work_off() == 0  # kept for inspection, not retried


def test_refusals(sender: Client, django_user_model: Any, settings: Any) -> None:  # noqa: F811
    body = zabbix(1, "x", T)
    viewer = django_user_model.objects.create_user("viewer", password="x-Long-password-1")
    read_only = tokens.issue(zabbix_user(), read_only=True)[1]
    for plain, user in ((tokens.issue(viewer)[1], viewer), (read_only, zabbix_user())):
        assert post(Client(headers={"Authorization": f"Bearer {plain}"}), "zabbix", body).status_code == 403
        assert AuditEntry.objects.filter(action="access_denied", actor=user).exists()
    settings.IRTIS_TOKEN_REFUSAL_LIMIT = 3
    bad = Client(headers={"Authorization": "Bearer irt_nonsense"})
    assert [post(bad, "zabbix", body).status_code for _n in range(4)] == [401, 401, 401, 429]
    assert AuditEntry.objects.filter(action="token_refused").count() == 2  # the first and the limit reached
    assert sender.post("/monitoring/alerts/zabbix/", b"x" * (webhook.MAX_BODY + 1),
                       content_type="application/json").status_code == 413
    refused = sender.post("/monitoring/alerts/zabbix/", "[1]", content_type="application/json")
    assert refused.status_code == 400 and "event_id" in refused.json()["detail"]
    assert not AlertNotification.objects.exists() and not Alert.objects.exists()


def test_a_revoked_token_is_refused_within_the_bound(sender: Client, monkeypatch: Any) -> None:  # noqa: F811
    assert post(sender, "zabbix", zabbix(1, "x", T)).status_code == 202
    tokens.revoke(APIToken.objects.get(user=zabbix_user()))
    monkeypatch.setattr(webhook, "SENDERS_KEPT", 0)  # the bound passed (2 s in production)
    assert post(sender, "zabbix", zabbix(1, "x", T)).status_code == 401
    assert any(e.after["reason"] == "revoked" for e in AuditEntry.objects.filter(action="token_refused"))


def test_a_cause_and_its_consequences_told_at_once_open_one_incident_followed_once(sender: Client) -> None:  # noqa: F811
    e = array_estate()
    for machine in e["machines"]:  # the machines' alerts arrive before their disk array's
        keep("zabbix", zabbix(1, machine.name, T + timedelta(minutes=5), event_id=f"z-{machine.pk}"))
    keep("zabbix", zabbix(1, "masyvas-1", T + timedelta(minutes=5), event_id="z-array"))
    with CaptureQueriesContext(connection) as captured:
        assert inbox.work_off() == 12
    incident = Incident.objects.get()  # not eleven incidents merged into the array's
    assert incident.cause == "masyvas-1" and incident.status == "open"
    assert incident.linked.count() == 12 and incident.linked.filter(is_cause=True).count() == 1
    taken = [q for q in captured.captured_queries if f"pg_advisory_xact_lock({locks.KEY})" in q["sql"]]
    assert len(taken) == (1 if connection.vendor == "postgresql" else 0)  # incidents followed once
