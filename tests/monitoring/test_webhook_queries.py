"""What the webhook costs: before its answer, one INSERT (the sender's token and right come from
memory after its first notification); the working off after it does not grow with the
notifications waiting that repeat what is known (Alertmanager resends a firing group every
repeat_interval): one read of the batch, its senders and its alerts, one UPDATE counting them,
one DELETE."""

import json
from datetime import timedelta

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from irtis.monitoring import inbox, webhook
from irtis.monitoring.models import Alert, AlertNotification
from tests.virtualization.factories import server

from .test_alerts import T, alertmanager, post, sender  # noqa: F401  (sender: the fixture)

pytestmark = pytest.mark.django_db


def group(count: int, status: str = "firing") -> dict:
    """One notification of `count` alerts, each about its own device."""
    body = alertmanager(status, "dev-0", T)
    one = body["alerts"][0]
    body["alerts"] = [{**one, "labels": {**one["labels"], "instance": f"dev-{n}:9100"}, "fingerprint": f"f{n}"}
                      for n in range(count)]
    return body


def sent(response: HttpResponse) -> None:
    """What a WSGI server does once it has sent the answer (as the test client does, without
    closing the test's database connection)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_notification_costs_one_insert_before_its_answer(sender: Client) -> None:  # noqa: F811
    server("dev-0")
    authorization = sender.defaults["HTTP_AUTHORIZATION"]
    factory = RequestFactory(HTTP_AUTHORIZATION=authorization)
    for n in range(3):
        request = factory.post("/monitoring/alerts/alertmanager/", json.dumps(group(1)),
                               content_type="application/json")
        with CaptureQueriesContext(connection) as before_answer:
            response = webhook.receive(request, "alertmanager")
        assert response.status_code == 202 and json.loads(response.content) == {"accepted": 1}
        if n:  # the first reads the token and the right (and records the token's use)
            assert [q["sql"].split()[0] for q in before_answer.captured_queries] == ["INSERT"]
        assert AlertNotification.objects.count() == 1  # kept (committed: autocommit) before the answer
        sent(response)  # the server has sent the answer: this process works the inbox off
        assert not AlertNotification.objects.exists()
    assert Alert.objects.get().received == 3


def work_off(notifications: list[dict], sender_id: int) -> int:
    for body in notifications:
        inbox.accept("alertmanager", json.dumps(body), sender_id, "10.0.0.9")
    with CaptureQueriesContext(connection) as captured:
        assert inbox.work_off() == len(notifications)
    return len(captured.captured_queries)


def test_repeated_alerts_cost_the_same_queries_whatever_their_number(sender: Client) -> None:  # noqa: F811
    for n in range(40):
        server(f"dev-{n}")
    assert post(sender, "alertmanager", group(40)).json() == {"accepted": 40}  # new alerts, mapped
    assert Alert.objects.filter(object_id__isnull=False).count() == 40
    user = Alert.objects.model._meta.apps.get_model("identity", "User").objects.get(username="zabbix")
    few = work_off([group(2)], user.pk)
    many = work_off([group(40)] * 25, user.pk)  # 1,000 alerts in 25 notifications
    assert few == many <= 9
    older = group(40)
    for alert in older["alerts"]:
        alert["startsAt"] = (T - timedelta(hours=1)).isoformat()
    stale = work_off([older], user.pk)  # a firing from before: counted, changes no status
    assert stale == few + 1  # one INSERT keeps all 40 in the history
    assert sorted(set(Alert.objects.values_list("received", flat=True))) == [27, 28]  # f0, f1 got one more
    assert sum(Alert.objects.values_list("received", flat=True)) == 40 + 2 + 1000 + 40
