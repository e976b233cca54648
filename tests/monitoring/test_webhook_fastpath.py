"""The webhook's lean route in front of Django (`irtis.monitoring.fastpath`): the same answers,
refusals, audit, messages and headers as the view behind the middlewares; the notification
committed before the answer, in one INSERT with those accepted at the same time."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from irtis.audit.models import AuditEntry
from irtis.identity import tokens
from irtis.monitoring import inbox, webhook
from irtis.monitoring.models import Alert, AlertNotification
from irtis.wsgi import application

from .test_alerts import T, alertmanager, post, sender, zabbix  # noqa: F401  (sender: the fixture)

pytestmark = pytest.mark.django_db
PATH = "/monitoring/alerts/{}/"


@contextmanager
def served() -> Iterator[None]:
    """As the test client does: the test's database connection is not closed at the request's
    start and end (Django's signals would close it inside the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code, self.headers, self.content = int(status.split()[0]), dict(headers), body

    def json(self) -> Any:
        return json.loads(self.content)


def call(source: str, body: str | bytes, authorization: str = "", send: bool = True, **extra: str) -> Answer:
    """The request through `irtis.wsgi.application`, as gunicorn calls it; `send`: the answer is
    sent and closed (then the inbox is worked off)."""
    headers = {"Authorization": authorization} if authorization else {}
    environ = RequestFactory(**extra).post(PATH.format(source), body, content_type="application/json",
                                           headers=headers).environ
    started: list[Any] = []
    with served():
        result = application(environ, lambda status, headers: started.extend([status, headers]))
        content = b"".join(result)
        if send:
            result.close()  # type: ignore[attr-defined]
    return Answer(started[0], started[1], content)


def bearer(client: Client) -> str:
    return client.defaults["HTTP_AUTHORIZATION"]


def test_refusals_are_answered_and_audited_as_behind_the_middlewares(
        sender: Client, django_user_model: Any, settings: Any) -> None:  # noqa: F811
    settings.IRTIS_TRUSTED_PROXIES = ["10.0.0.0/29"]
    body = json.dumps(zabbix(1, "x", T))
    refused = call("zabbix", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert refused.status_code == 401 and refused.json() == {"detail": "Reikia galiojančio API rakto."}
    entry = AuditEntry.objects.get(action="token_refused")
    assert (entry.source, entry.source_ip, entry.after["reason"]) == ("ui", "192.0.2.7", "unknown")
    assert entry.request_id == refused.headers["X-Request-ID"]
    english = call("zabbix", body, "Bearer irt_nonsense", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    assert english.status_code == 401 and english.json() == {"detail": "A valid API token is required."}

    viewer = django_user_model.objects.create_user("viewer", password="x-Long-password-1")
    denied = call("zabbix", body, f"Bearer {tokens.issue(viewer)[1]}", REMOTE_ADDR="10.0.0.1",
                  HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert denied.status_code == 403 and denied.json() == {"detail": "Šiuo raktu negalima siųsti įspėjimų."}
    assert AuditEntry.objects.filter(action="access_denied", actor=viewer, source_ip="192.0.2.8").exists()

    too_large = call("zabbix", b"x" * (webhook.MAX_BODY + 1), bearer(sender))
    assert too_large.status_code == 413
    bad = call("zabbix", "[1]", bearer(sender))
    assert bad.status_code == 400 and "event_id" in bad.json()["detail"]
    assert call("alertmanager", "{not json", bearer(sender)).status_code == 400
    settings.IRTIS_TOKEN_REFUSAL_LIMIT = 3
    assert [call("zabbix", body, "Bearer irt_nonsense").status_code for _n in range(3)] == [401, 401, 429]
    assert not AlertNotification.objects.exists() and not Alert.objects.exists()


def test_the_answers_are_those_of_the_view_behind_the_middlewares(sender: Client) -> None:  # noqa: F811
    body = alertmanager("firing", "x", T)
    for lean, full in ((call("alertmanager", json.dumps(body), bearer(sender)), post(sender, "alertmanager", body)),
                       (call("alertmanager", json.dumps(body)), post(Client(), "alertmanager", body)),
                       (call("zabbix", "[1]", bearer(sender)), post(sender, "zabbix", [1]))):
        assert (lean.status_code, lean.content) == (full.status_code, full.content)
        assert {k: v for k, v in lean.headers.items() if k != "X-Request-ID"} == {
            k: v for k, v in full.headers.items() if k != "X-Request-ID"}
    assert call("alertmanager", json.dumps(body), bearer(sender)).json() == {"accepted": 1}
    assert Alert.objects.get().received == 3


def test_what_the_lean_route_does_not_answer_goes_to_django(sender: Client) -> None:  # noqa: F811
    assert call("nagios", "{}", bearer(sender)).status_code == 404  # Django's view: "Unknown alert source."
    environ = RequestFactory().get(PATH.format("zabbix")).environ
    started: list[Any] = []
    with served():
        b"".join(application(environ, lambda status, headers: started.append(status)))
    assert started == ["405 Method Not Allowed"]
    assert call("zabbix", json.dumps(zabbix(1, "x", T)), bearer(sender), HTTP_HOST="evil.example").status_code == 400


def test_a_notification_costs_one_insert_and_is_kept_before_its_answer(sender: Client) -> None:  # noqa: F811
    body = json.dumps(alertmanager("firing", "x", T))
    assert call("alertmanager", body, bearer(sender)).status_code == 202  # reads the token and its right
    with CaptureQueriesContext(connection) as before_answer:
        answer = call("alertmanager", body, bearer(sender), send=False)
    assert answer.status_code == 202 and answer.json() == {"accepted": 1}
    assert [q["sql"].split()[0] for q in before_answer.captured_queries] == ["INSERT"]
    assert AlertNotification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_answer_waits_for_the_commit_holding_its_notification(sender: Client) -> None:  # noqa: F811
    seen: list[int] = []

    def count_elsewhere(status: str, headers: list) -> None:
        """What another connection (another process) sees when the answer starts: committed rows."""
        worker = threading.Thread(target=lambda: (seen.append(AlertNotification.objects.count()),
                                                  connection.close()))
        worker.start()
        worker.join()

    environ = RequestFactory().post(PATH.format("zabbix"), json.dumps(zabbix(1, "x", T)),
                                    content_type="application/json", headers={"Authorization": bearer(sender)}).environ
    assert not connection.in_atomic_block
    b"".join(application(environ, count_elsewhere))  # not closed: the worker dies after answering
    assert seen == [1]


@pytest.mark.django_db(transaction=True)
def test_notifications_accepted_while_one_commits_are_committed_in_the_next_insert(sender: Client,  # noqa: F811
                                                                                   monkeypatch: Any) -> None:
    user_id = AlertNotification._meta.get_field("sender").related_model.objects.get(username="zabbix").pk
    inserts: list[int] = []
    insert = inbox._insert

    def slow_insert(rows: list) -> None:
        inserts.append(len(rows))
        while len(inserts) == 1 and len(inbox._waiting) < 3:  # the first commit lasts until three more wait
            time.sleep(0.01)
        insert(rows)

    monkeypatch.setattr(inbox, "_insert", slow_insert)

    def accept(n: int) -> None:
        inbox.accept("zabbix", json.dumps(zabbix(1, "x", T, event_id=str(n))), user_id, "10.0.0.9")
        connection.close()

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(4)]
    threads[0].start()
    while not inserts:
        time.sleep(0.01)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
    assert inserts == [1, 3] and AlertNotification.objects.count() == 4
    assert inbox.work_off() == 4 and Alert.objects.count() == 4
