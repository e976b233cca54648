"""The webhook's cost does not grow with the alerts of one payload that repeat what is known
(Alertmanager resends a firing group every repeat_interval): one read and one UPDATE for all."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from irtis.monitoring.models import Alert
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


def queries(client: Client, body: dict) -> tuple[int, dict[str, Any]]:
    with CaptureQueriesContext(connection) as captured:
        response = post(client, "alertmanager", body)
    assert response.status_code == 202
    return len(captured.captured_queries), response.json()


def test_repeated_alerts_cost_the_same_queries_whatever_their_number(sender: Client) -> None:  # noqa: F811
    for n in range(40):
        server(f"dev-{n}")
    first = post(sender, "alertmanager", group(40))  # the first notification: new alerts, mapped
    assert first.json()["new"] == 40 and Alert.objects.filter(object_id__isnull=False).count() == 40
    few, counts = queries(sender, group(2))
    assert counts == {"new": 0, "repeated": 2, "stale": 0, "unmapped": 0}
    many, counts = queries(sender, group(40))
    assert counts == {"new": 0, "repeated": 40, "stale": 0, "unmapped": 0}
    assert few == many <= 6
    older = group(40)
    for alert in older["alerts"]:
        alert["startsAt"] = (T - timedelta(hours=1)).isoformat()
    stale, counts = queries(sender, older)  # a firing from before: counted, changes no status
    assert counts["stale"] == 40 and stale == few + 1  # one INSERT keeps all 40 in the history
    assert sorted(set(Alert.objects.values_list("received", flat=True))) == [3, 4]  # f0, f1 got one more
    assert sum(Alert.objects.values_list("received", flat=True)) == 40 + 2 + 40 + 40
