"""E-mail delivery against a real SMTP server (aiosmtpd on loopback): security modes, sign-in,
the recipient's language, grouping of event storms, and retries while the server is down."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from irtis.core.models import Tag
from irtis.notifications import delivery, kinds
from irtis.notifications.events import notify
from irtis.notifications.jobs import delete_old_notifications, deliver_pending
from irtis.notifications.models import Message, Notification, Preference
from irtis.tasks.models import Run, Status
from tests.notifications.conftest import person
from tests.support.smtp import USER, SMTPServer, free_port

pytestmark = pytest.mark.django_db

INCIDENT = kinds.register(
    "tests.incident", "incident opened", subject="Incident on %(object)s (%(severity)s)", digest=5,
)


def tag(n: int) -> Tag:
    if found := Tag.objects.filter(slug=f"zyme-{n}").first():
        return found
    obj = Tag(name=f"Žymė {n}", slug=f"zyme-{n}")
    obj.full_clean()
    obj.save()
    return obj


def test_plain_smtp_delivers_in_each_recipients_language(smtp: SMTPServer) -> None:
    lithuanian, english = person("jonas", "lt", first_name="Jonas", last_name="Žukauskas"), person("john", "en")
    notify(kinds.TEST.code, users=[lithuanian, english])

    assert deliver_pending.body(None) == 2  # the job a worker runs
    by_address = {r.rcpt_tos[0]: r for r in smtp.mailbox.received}
    lt, en = by_address["jonas@muitine.lt"].message, by_address["john@muitine.lt"].message
    assert lt["Subject"] == "Bandomasis irtis pranešimas"
    assert en["Subject"] == "Test message from irtis"
    assert "Sveiki, Jonas Žukauskas." in lt.get_content()
    assert "Hello, john." in en.get_content()
    assert (lt["Content-Language"], en["Content-Language"]) == ("lt", "en")
    assert lt["To"] == "Jonas Žukauskas <jonas@muitine.lt>"
    assert lt["From"] == "irtis <irtis@muitine.lt>"
    assert lt["Auto-Submitted"] == "auto-generated"
    assert "https://irtis.muitine.lt/notifications/preferences/" in lt.get_content()
    sent = Message.objects.get(to="jonas@muitine.lt")
    assert (sent.status, sent.attempts, sent.language, sent.subject) == ("sent", 1, "lt", lt["Subject"])
    assert lt["Message-ID"] == f"<irtis.{sent.pk}.{sent.created:%Y%m%d%H%M%S}@muitine.lt>"
    assert sent.sent is not None and sent.next_attempt is None


@pytest.mark.parametrize(("security", "mechanism"), [
    ("starttls", "LOGIN"), ("starttls", "PLAIN"), ("tls", "LOGIN"), ("tls", "PLAIN"),
])
def test_tls_and_sign_in(smtp_server: Any, security: str, mechanism: str) -> None:
    server = smtp_server(security, auth=True, mechanisms=(mechanism,))
    notify(kinds.TEST.code, users=[person("ona")])

    assert delivery.send_due() == 1
    [received] = server.mailbox.received
    assert received.tls and received.login == USER
    assert server.mailbox.mechanisms == [mechanism]


def test_an_untrusted_certificate_is_refused_and_retried(smtp_server: Any, settings: Any) -> None:
    server = smtp_server("starttls")
    settings.IRTIS_SMTP_CA_FILE = ""  # the system's CAs do not know the test certificate
    notify(kinds.TEST.code, users=[person("ona")])

    assert delivery.send_due() == 0
    assert server.mailbox.received == []
    message = Message.objects.get()
    assert message.status == "queued" and "CERTIFICATE_VERIFY_FAILED" in message.last_error


def test_a_wrong_password_is_retried(smtp_server: Any, settings: Any) -> None:
    server = smtp_server("starttls", auth=True)
    settings.EMAIL_HOST_PASSWORD = "neteisingas"
    notify(kinds.TEST.code, users=[person("ona")])

    assert delivery.send_due() == 0
    message = Message.objects.get()
    assert (message.status, server.mailbox.received) == ("queued", [])
    assert "SMTPAuthenticationError" in message.last_error


def test_an_event_storm_sends_one_message(smtp: SMTPServer) -> None:
    user = person("jonas")
    objects = [tag(n) for n in range(3)]
    start = timezone.now()
    for _ in range(10):
        for obj in objects:
            notify(INCIDENT.code, users=[user], obj=obj, context={"severity": "P1"})

    assert delivery.send_due(start) == 0  # the digest window is still open
    shown = Notification.objects.filter(recipient=user).order_by("object_id")
    assert [(n.object_repr, n.count) for n in shown] == [(f"Žymė {n}", 10) for n in range(3)]
    assert delivery.send_due(start + timedelta(minutes=6)) == 1

    [received] = smtp.mailbox.received
    assert received.message["Subject"] == "incident opened: 30 įvykių"
    text = received.message.get_content()
    for obj in objects:
        assert f"{obj.name} (10 kartų nuo " in text
        assert f"https://irtis.muitine.lt/core/tags/{obj.pk}/" in text
    # the storm is over: the next event starts a new message
    notify(INCIDENT.code, users=[user], obj=objects[0], context={"severity": "P2"})
    assert Message.objects.count() == 2
    assert delivery.send_due(start + timedelta(minutes=20)) == 1
    assert smtp.mailbox.received[1].message["Subject"] == "Incident on Žymė 0 (P2)"


def test_smtp_server_down_keeps_the_message_and_sends_it_when_it_is_back(smtp_server: Any, settings: Any) -> None:
    port = free_port()  # nothing listens there
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    notify(kinds.TEST.code, users=[person("ona")])
    now = timezone.now()

    assert delivery.send_due(now) == 0
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "Connection refused" in message.last_error
    assert message.next_attempt == now + timedelta(minutes=1)
    assert delivery.send_due(now + timedelta(seconds=30)) == 0  # not before its time
    assert Message.objects.get().attempts == 1

    server = smtp_server("none", port=port)
    assert delivery.send_due(now + timedelta(minutes=1)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(server.mailbox.received)) == ("sent", 2, 1)


def test_retries_back_off_then_give_up(settings: Any) -> None:
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    notify(kinds.TEST.code, users=[person("ona")])
    now = timezone.now()
    waits = []
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.send_due(now)
        message = Message.objects.get()
        if message.next_attempt:
            waits.append(message.next_attempt - now)
            now = message.next_attempt
    assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert (message.status, message.attempts, message.next_attempt) == ("failed", delivery.MAX_ATTEMPTS, None)


def test_a_refused_address_fails_at_once(smtp: SMTPServer) -> None:
    smtp.mailbox.refused.add("nera@muitine.lt")
    notify(kinds.TEST.code, users=[person("nera"), person("ona")])

    assert delivery.send_due() == 1
    refused = Message.objects.get(to="nera@muitine.lt")
    assert (refused.status, refused.attempts, refused.next_attempt) == ("failed", 1, None)
    assert "550" in refused.last_error
    assert [r.rcpt_tos for r in smtp.mailbox.received] == [["ona@muitine.lt"]]


def test_no_address_is_recorded_as_failed(smtp: SMTPServer) -> None:
    notify(kinds.TEST.code, users=[person("ona", email="")])
    assert delivery.send_due() == 0
    message = Message.objects.get()
    assert message.status == "failed" and "ona" in message.last_error


def test_preferences_choose_the_channel(smtp: SMTPServer) -> None:
    quiet, in_app, by_mail = person("tyli"), person("programoje"), person("pastu")
    for user, channel in ((quiet, "none"), (in_app, "in_app"), (by_mail, "email")):
        Preference.objects.create(user=user, kind=INCIDENT.code, channel=channel, digest=0)
    notify(INCIDENT.code, users=[quiet, in_app, by_mail], obj=tag(1), context={"severity": "P3"})

    assert not Notification.objects.filter(recipient=quiet).exists()
    assert Notification.objects.get(recipient=in_app).shown
    assert not Notification.objects.get(recipient=by_mail).shown
    assert delivery.send_due() == 1
    assert [r.rcpt_tos for r in smtp.mailbox.received] == [["pastu@muitine.lt"]]


def test_without_an_smtp_server_notifications_stay_in_irtis(settings: Any) -> None:
    settings.EMAIL_HOST = ""
    notify(kinds.TEST.code, users=[person("ona")])
    assert Notification.objects.get().shown and not Message.objects.exists()


def test_roles_and_object_permissions_choose_the_recipients(smtp: SMTPServer) -> None:
    from django.contrib.auth.models import Group

    on_duty = Group.objects.create(name="budintys")
    admin, viewer, outsider = person("admin"), person("ziuri", superuser=False), person("pasalinis", superuser=False)
    inactive = person("isejo", is_active=False)
    for user in (admin, viewer, outsider, inactive):
        user.groups.add(on_duty)
    from django.contrib.contenttypes.models import ContentType

    from irtis.identity.models import ObjectPermission

    grant = ObjectPermission.objects.create(name="žymės", actions=["view"], constraints={"slug": "zyme-1"})
    grant.users.add(viewer)
    grant.object_types.add(ContentType.objects.get_for_model(Tag))

    notify(INCIDENT.code, roles=["budintys"], users=[admin], obj=tag(1), context={"severity": "P1"})
    assert sorted(n.recipient.username for n in Notification.objects.all()) == ["admin", "ziuri"]
    notify(INCIDENT.code, roles=["budintys"], obj=tag(2), context={"severity": "P1"})
    assert Notification.objects.filter(object_repr="Žymė 2").get().recipient == admin


def test_a_subject_that_does_not_fit_its_context_fails_the_caller() -> None:
    with pytest.raises(KeyError):
        notify(INCIDENT.code, users=[person("ona")], obj=None, context={})
    # an event stored before its kind's subject changed still shows, by its object's name
    assert INCIDENT.title({}, "Žymė 1") == "Žymė 1"


def test_notify_starts_delivery_after_commit(smtp: SMTPServer, django_capture_on_commit_callbacks: Any) -> None:
    user = person("ona")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kinds.TEST.code, users=[user])
        notify(INCIDENT.code, users=[user], obj=tag(1), context={"severity": "P1"})
    runs = Run.objects.filter(task="irtis.notifications.jobs.deliver_pending").order_by("enqueued_at")
    window_end = Message.objects.get(kind=INCIDENT.code).next_attempt
    # The first ran at once (the tests' immediate backend); the digest's waits for its window.
    assert [(r.status, r.run_after) for r in runs] == [(Status.DONE, None), (Status.QUEUED, window_end)]
    assert [str(r.label) for r in runs] == ["Siųsti laukiančius el. laiškus"] * 2


def test_old_notifications_and_messages_are_deleted_unless_still_being_sent(settings: Any) -> None:
    settings.IRTIS_NOTIFICATIONS_DAYS = 30
    user, long_ago = person("ona"), timezone.now() - timedelta(days=31)
    sent = Message.objects.create(recipient=user, kind=kinds.TEST.code, status=Message.Status.SENT)
    trying = Message.objects.create(recipient=user, kind=INCIDENT.code, composed=long_ago,
                                    status=Message.Status.QUEUED)
    Message.objects.filter(pk__in=[sent.pk, trying.pk]).update(created=long_ago)
    old = Notification.objects.create(recipient=user, kind=kinds.TEST.code, first=long_ago, time=long_ago,
                                      message=sent)
    carried = Notification.objects.create(recipient=user, kind=INCIDENT.code, first=long_ago, time=long_ago,
                                          message=trying)
    recent = Notification.objects.create(recipient=user, kind=kinds.TEST.code, first=timezone.now(),
                                         time=timezone.now())
    assert delete_old_notifications.body(None) == {"notifications": 1, "messages": 1}
    assert set(Notification.objects.values_list("pk", flat=True)) == {carried.pk, recent.pk}
    assert list(Message.objects.values_list("pk", flat=True)) == [trying.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_notification_jobs_are_schedulable() -> None:
    from irtis.tasks.models import schedulable_choices

    assert {"irtis.notifications.jobs.deliver_pending", "irtis.notifications.jobs.delete_old_notifications"} <= {
        path for path, _label in schedulable_choices()}
