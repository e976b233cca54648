"""The notification pages, the bell, preferences, the log of sent e-mail, and the API."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.core.models import Tag
from irtis.identity import tokens
from irtis.notifications import delivery, kinds
from irtis.notifications.events import notify
from irtis.notifications.models import Message, Notification, Preference, Profile
from tests.notifications.conftest import person
from tests.notifications.test_delivery import INCIDENT, tag
from tests.support.smtp import SMTPServer, free_port

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events_for(user: Any, n: int) -> list[Tag]:
    objects = [tag(i) for i in range(n)]
    for obj in objects:
        notify(INCIDENT.code, users=[user], obj=obj, context={"severity": "P2"})
    return objects


def test_inbox_bell_and_marking_read(settings: Any) -> None:
    settings.EMAIL_HOST = ""
    user, other = person("jonas"), person("ona")
    objects = events_for(user, 3)
    client = signed_in(user)

    page = client.get("/notifications/").content.decode()
    assert all(obj.name in page for obj in objects)
    assert 'id="unread-count">3<' in client.get("/notifications/bell/").content.decode()

    first = Notification.objects.get(object_id=objects[0].pk)
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == objects[0].get_absolute_url()
    assert 'id="unread-count">2<' in client.get("/notifications/bell/").content.decode()
    assert signed_in(other).post(f"/notifications/{first.pk}/read/").status_code == 404

    assert client.post("/notifications/read/").status_code == 302
    assert "unread-count" not in client.get("/notifications/bell/").content.decode()
    assert not Notification.objects.filter(recipient=user, read__isnull=True).exists()


def test_bell_after_the_session_ended_leaves_the_button_alone() -> None:
    assert Client().get("/notifications/bell/").status_code == 204


def test_inbox_in_constant_queries(settings: Any, django_assert_max_num_queries: Any) -> None:
    settings.EMAIL_HOST = ""
    user = person("jonas")
    client = signed_in(user)
    events_for(user, 3)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/notifications/").status_code == 200
    Notification.objects.all().delete()
    events_for(user, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/notifications/").status_code == 200


def test_preferences_are_saved_audited_and_guarded_against_stale_forms(settings: Any) -> None:
    settings.EMAIL_HOST = "127.0.0.1"
    user = person("jonas", "lt")
    client = signed_in(user)
    form = client.get("/notifications/preferences/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"language": "en", f"{INCIDENT.code}:channel": "email", f"{INCIDENT.code}:digest": 15})

    assert client.post("/notifications/preferences/", data).status_code == 302
    assert Profile.objects.get(user=user).language == "en"
    saved = Preference.objects.get(user=user, kind=INCIDENT.code)
    assert (saved.channel, saved.digest) == ("email", 15)
    audited = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Preference))
    assert audited.get().after["digest"] == 15

    data["language"] = "lt"  # the same, now stale, form again
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 409
    assert Profile.objects.get(user=user).language == "en"

    fresh = response.context["form"]
    data = {name: fresh[name].value() for name in fresh.fields} | {f"{INCIDENT.code}:digest": -1}
    assert client.post("/notifications/preferences/", data).status_code == 400


def test_a_test_message_with_the_smtp_server_down_is_kept_not_a_server_error(
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    user = person("jonas")
    with django_capture_on_commit_callbacks(execute=True):  # the default backend runs the task at once
        response = signed_in(user).post("/notifications/preferences/test/")
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "Connection refused" in message.last_error and message.next_attempt > timezone.now()


def test_message_log_and_resend(smtp: SMTPServer, django_capture_on_commit_callbacks: Any) -> None:
    admin, auditor, plain = person("admin"), person("auditorius", superuser=False), person("ona", superuser=False)
    auditor.groups.add(Group.objects.get(name="auditor"))
    smtp.mailbox.refused.add("ona@muitine.lt")
    notify(kinds.TEST.code, users=[plain])
    delivery.send_due()
    failed = Message.objects.get()
    assert failed.status == "failed"

    assert signed_in(plain).get("/notifications/messages/").status_code == 403
    page = signed_in(auditor).get("/notifications/messages/?status=failed")
    assert page.status_code == 200 and "ona@muitine.lt" in page.content.decode()
    assert "Siųsti dar kartą" not in page.content.decode()
    assert signed_in(auditor).post(f"/notifications/messages/{failed.pk}/resend/").status_code == 403

    smtp.mailbox.refused.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed_in(admin).post(f"/notifications/messages/{failed.pk}/resend/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "")
    entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Message)).get()
    assert (entry.actor_name, entry.before["status"], entry.after["status"]) == ("admin", "failed", "queued")
    for callback in callbacks:  # delivery asked for on commit; the default backend runs it at once
        callback()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert [r.rcpt_tos for r in smtp.mailbox.received] == [["ona@muitine.lt"]]


def test_api_lists_and_marks_in_constant_queries(settings: Any, django_assert_max_num_queries: Any) -> None:
    settings.EMAIL_HOST = ""
    user, other = person("jonas"), person("ona")
    _, plain = tokens.issue(user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    client = Client()
    events_for(user, 3)
    events_for(other, 2)
    client.get("/api/notifications/", **auth)  # the token's first use is audited once
    with django_assert_max_num_queries(10) as few:
        body = client.get("/api/notifications/", **auth).json()
    assert (body["count"], body["unread"], len(body["results"])) == (3, 3, 3)
    first = body["results"][0]
    assert first["object_type"] == "core.tag" and first["label"] == "incident opened"
    assert first["title"] == f"Incident on {first['object']} (P2)"
    assert first["context"] == {"severity": "P2"} and first["url"].startswith("/core/tags/")
    Notification.objects.filter(recipient=user).delete()
    events_for(user, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/notifications/?limit=100", **auth).json()["results"]) == 30

    pk = Notification.objects.filter(recipient=user).first().pk
    assert client.post(f"/api/notifications/{pk}/read/", **auth).json()["read"] is not None
    assert client.get("/api/notifications/?unread=true", **auth).json()["count"] == 29
    foreign = Notification.objects.filter(recipient=other).first().pk
    assert client.post(f"/api/notifications/{foreign}/read/", **auth).status_code == 404
    assert client.post("/api/notifications/read/", **auth).json() == {"marked": 29}

    _, read_only = tokens.issue(user, read_only=True)
    refused = client.post("/api/notifications/read/", HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert refused.status_code == 403
    assert client.get("/api/notifications/?offset=-1", **auth).status_code in (400, 422)
