"""Priorities and working-hour targets; what requesters see and may change; escalation."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from irtis.audit.context import changes_by
from irtis.notifications.models import Notification
from irtis.servicedesk import jobs, targets
from irtis.servicedesk.models import Message, Request
from tests.support.language import choose

from . import factories

pytestmark = pytest.mark.django_db
VILNIUS = dt.timezone(dt.timedelta(hours=2))  # winter time


def test_priority_from_the_systems_importance_and_the_effect() -> None:
    assert targets.priority(1, "many_blocked") == "P1"
    assert targets.priority(1, "question") == "P4"
    assert targets.priority(2, "one_blocked") == "P3"
    assert targets.priority(None, "many_blocked") == "P3"


def test_targets_skip_nights_weekends_and_lithuanian_holidays() -> None:
    # Thursday 24 December 2026, 16:00: Christmas Eve, Christmas and the weekend are not counted
    received = dt.datetime(2026, 12, 24, 16, 0, tzinfo=VILNIUS)
    assert targets.after(received, 4) == dt.datetime(2026, 12, 28, 12, 0, tzinfo=VILNIUS)
    # Friday 16:00 plus two working hours: Monday 09:00
    assert targets.after(dt.datetime(2026, 12, 4, 16, 0, tzinfo=VILNIUS), 2) == dt.datetime(
        2026, 12, 7, 9, 0, tzinfo=VILNIUS)


def test_a_request_takes_its_category_queue_system_and_targets() -> None:
    category = factories.category("MDAS", rank=1)
    made = factories.request(category=category, effect="many_blocked",
                             received_at=dt.datetime(2026, 12, 7, 8, 0, tzinfo=VILNIUS))
    assert (made.system, made.queue, made.priority) == (category.system, category.queue, "P1")
    assert made.response_due == dt.datetime(2026, 12, 7, 9, 0, tzinfo=VILNIUS)
    assert made.resolution_due == dt.datetime(2026, 12, 7, 12, 0, tzinfo=VILNIUS)


def test_rating_only_once_resolved() -> None:
    made = factories.request()
    made.rating = 5
    with pytest.raises(Exception, match="once it is resolved"):
        made.full_clean()
    made.status = "resolved"
    made.full_clean()
    made.save()
    assert made.resolved_at is not None


def test_requesters_see_only_their_own_requests(client: Client) -> None:
    jonas, ona = factories.person("jonas", "requester"), factories.person("ona", "requester")
    with changes_by(jonas):
        own = factories.request("Mano kreipinys")
    other = factories.request("Kito kreipinys", requester=ona)
    Message.objects.create(request=own, kind="note", body="Vidinė pastaba apie Joną")
    Message.objects.create(request=own, kind="reply", body="Atsakymas Jonui")
    client.force_login(jonas)
    listed = client.get("/servicedesk/requests/").content.decode()
    assert "Mano kreipinys" in listed and "Kito kreipinys" not in listed
    assert client.get(f"/servicedesk/requests/{other.pk}/").status_code == 404
    assert client.get(f"/api/servicedesk/requests/{other.pk}/").status_code == 404
    page = client.get(f"/servicedesk/requests/{own.pk}/").content.decode()
    assert "Atsakymas Jonui" in page and "Vidinė pastaba" not in page
    api = client.get("/api/servicedesk/messages/").json()
    assert [m["body"] for m in api["results"]] == ["Atsakymas Jonui"]


def test_a_requester_may_not_route_or_close_a_request(client: Client) -> None:
    jonas = factories.person("jonas", "requester")
    client.force_login(jonas)
    answer = client.post("/api/servicedesk/requests/", {"subject": "Neveikia", "status": "closed"},
                         content_type="application/json")
    assert answer.status_code == 400 and "status" in answer.json()["errors"]
    created = client.post("/api/servicedesk/requests/", {"subject": "Neveikia", "effect": "one_blocked"},
                          content_type="application/json")
    assert created.status_code == 201
    assert Request.objects.get(pk=created.json()["id"]).requester == jonas


def test_the_web_form_writes_a_request_with_its_attachment(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    jonas = factories.person("jonas", "requester")
    choose(client, "en").force_login(jonas)
    big = SimpleUploadedFile("didelis.pdf", b"x" * (11 * 1024 * 1024), "application/pdf")
    refused = client.post("/servicedesk/new/", {"subject": "Neveikia", "effect": "question", "attachments": big})
    assert refused.status_code == 200 and "larger than" in refused.content.decode()
    assert "Neveikia" in refused.content.decode()  # the text typed is still in the form
    script = SimpleUploadedFile("a.html", b"<script>", "text/html")
    assert "not accepted" in client.post("/servicedesk/new/", {
        "subject": "Neveikia", "effect": "question", "attachments": script}).content.decode()
    ok = SimpleUploadedFile("klaida.png", b"\x89PNG", "image/png")
    answer = client.post("/servicedesk/new/", {"subject": "Neveikia", "effect": "question", "attachments": ok})
    made = Request.objects.get()
    assert answer.status_code == 302 and made.requester == jonas and made.attachments.get().name == "klaida.png"


def test_escalation_tells_the_queue_once(settings: Any) -> None:
    agent = factories.person("agentas", "service_desk")
    queue = factories.queue()
    queue.members.add(agent)
    made = factories.request(queue=queue, effect="many_blocked", category=factories.category("MDAS", rank=1),
                             received_at=dt.datetime(2026, 12, 7, 8, 0, tzinfo=VILNIUS))
    assert jobs.escalate(dt.datetime(2026, 12, 7, 8, 10, tzinfo=VILNIUS)) == 0
    assert jobs.escalate(dt.datetime(2026, 12, 7, 8, 50, tzinfo=VILNIUS)) == 1
    assert jobs.escalate(dt.datetime(2026, 12, 7, 8, 55, tzinfo=VILNIUS)) == 0
    told = Notification.objects.get(kind="servicedesk.target_near")
    assert told.recipient == agent and told.object_id == made.pk


def test_the_generic_attachment_form_says_where_files_are_attached(admin_client: Client) -> None:
    from irtis.core import registry
    from irtis.servicedesk.models import Attachment

    response = admin_client.post(registry.entry_for(Attachment).url("add"), {})
    assert response.status_code == 400
    assert "Failus pridėkite jų kreipinio ar straipsnio puslapyje." in response.content.decode()  # in Lithuanian
    assert not Attachment.objects.exists()
