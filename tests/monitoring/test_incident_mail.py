"""Incident e-mail to the responsible people of the affected systems, through a real SMTP server
(aiosmtpd on loopback): each in their language, a storm of incidents one message per person,
nobody for a system under approved maintenance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from irtis.monitoring import runner
from irtis.monitoring.models import Incident
from irtis.notifications import delivery
from irtis.notifications.models import Notification
from tests.changes.factories import window
from tests.notifications.conftest import _tasks_run_at_once, cert, person, smtp, smtp_server  # noqa: F401
from tests.support.smtp import SMTPServer
from tests.systems.factories import component, system
from tests.virtualization.factories import server

from .factories import tcp_check
from .servers import closed_port
from .test_incidents import array_estate

pytestmark = pytest.mark.django_db


def test_a_storm_of_incidents_is_one_message_per_responsible_person_in_their_language(smtp: SMTPServer) -> None:  # noqa: F811
    jonas, john, ona = person("jonas", "lt"), person("john", "en"), person("ona", "lt")
    e = array_estate()
    systems = e["systems"]
    systems[0].responsible.add(jonas)
    systems[2].responsible.add(jonas)
    systems[1].responsible.add(john)
    systems[3].responsible.add(ona)
    other = system("X", cat="II")
    component(other, "X app", [lone := server("srv-x")])
    other.responsible.add(jonas)
    start = timezone.now()
    window("S3 atnaujinimas", [systems[3]], start - timedelta(hours=1), hours=3)  # S3 under maintenance
    dead = closed_port()
    tcp_check(e["array"], dead, name="array")
    tcp_check(lone, dead, name="lone")

    runner.run_zone("default")

    assert Incident.objects.count() == 2  # the array (eleven systems) and srv-x: two causes, one storm
    assert not Notification.objects.filter(recipient=ona).exists()  # S3 is under approved maintenance
    assert delivery.send_due(start) == 0  # the digest window is still open
    assert delivery.send_due(start + timedelta(minutes=3)) == 2
    by_address = {r.rcpt_tos[0]: r.message for r in smtp.mailbox.received}
    assert set(by_address) == {"jonas@muitine.lt", "john@muitine.lt"}
    lt, en = by_address["jonas@muitine.lt"], by_address["john@muitine.lt"]
    assert (lt["Content-Language"], en["Content-Language"]) == ("lt", "en")
    text = lt.get_content()
    for incident in Incident.objects.all():
        assert incident.number in text  # both incidents in jonas's one message
    assert Incident.objects.get(systems=systems[1]).number in en.get_content()
    assert "masyvas-1" in en.get_content()


def test_an_incident_whose_systems_are_all_under_maintenance_tells_nobody(smtp: SMTPServer) -> None:  # noqa: F811
    jonas = person("jonas", "lt")
    quiet = system("Q")
    component(quiet, "Q app", [host := server("srv-q")])
    quiet.responsible.add(jonas)
    start = timezone.now()
    window("Q darbai", [quiet], start - timedelta(hours=1), hours=3)
    tcp_check(host, closed_port(), name="q")

    runner.run_zone("default")

    assert Incident.objects.count() == 1
    assert not Notification.objects.exists()
    assert delivery.send_due(start + timedelta(minutes=3)) == 0 and smtp.mailbox.received == []
