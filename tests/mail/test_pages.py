"""The DAG's page (databases, their copies, the ones at risk), the expiring certificates page,
the menu."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irtis.mail.models import MailCertificate

from . import factories as f

pytestmark = pytest.mark.django_db


def at_risk(text: str) -> list[str]:
    return re.findall(r'data-at-risk="([^"]+)"', text)


def test_dag_page_shows_each_database_copies_and_flags_too_few_healthy(admin_client: Client) -> None:
    dag = f.dag(members=("exch-01", "exch-02", "exch-03"))
    good, failing, single = f.database("DB01"), f.database("DB02"), f.database("DB03")
    f.copy(good, "exch-01", 1, "mounted"), f.copy(good, "exch-02", 2)
    f.copy(failing, "exch-02", 1, "mounted"), f.copy(failing, "exch-03", 2, "failed")
    f.copy(single, "exch-03", 1, "mounted")
    f.database("DB04")  # no copy at all
    text = admin_client.get(dag.get_absolute_url()).content.decode()
    assert at_risk(text) == ["DB02", "DB03", "DB04"]
    assert "sugedusi" in text and "prijungta (aktyvi)" in text
    assert text.count('href="/mail/mail-servers/') >= 5


def test_dag_page_reads_the_copies_in_a_constant_number_of_queries(admin_client: Client) -> None:
    dag = f.dag()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(dag.get_absolute_url()).status_code == 200
        return len(queries)

    f.copy(f.database("DB01"), "exch-01", 1)
    few = count()
    for n in range(2, 8):
        db = f.database(f"DB{n:02d}")
        f.copy(db, "exch-01", 1, "mounted"), f.copy(db, "exch-02", 2)
    assert count() == few


def test_expiring_certificates_page(admin_client: Client) -> None:
    today = timezone.localdate()
    server = f.server("exch-01")
    for thumb, days in (("A", -3), ("B", 12), ("C", 200)):
        cert = MailCertificate.objects.create(
            subject=f"CN={thumb}.lrmuitine.lt", thumbprint=thumb * 40, issuer="CN=CA", services="SMTP",
            not_before=today - datetime.timedelta(days=400), not_after=today + datetime.timedelta(days=days))
        cert.servers.add(server)
    text = admin_client.get("/mail/certificates/expiring/").content.decode()
    assert re.findall(r'data-thumbprint="(\w)\1+"', text) == ["A", "B"]
    assert "Nebegalioja" in text and "exch-01" in text
    wider = admin_client.get("/mail/certificates/expiring/?within_days=365").content.decode()
    assert len(re.findall(r"data-thumbprint=", wider)) == 3


def test_expiring_certificates_page_in_constant_queries(admin_client: Client) -> None:
    today = timezone.localdate()

    def add(n: int) -> None:
        cert = MailCertificate.objects.create(
            subject=f"CN=c{n}", thumbprint=f"{n:040X}", issuer="CN=CA", not_before=today,
            not_after=today + datetime.timedelta(days=5))
        cert.servers.add(f.server(f"exch-{n:02d}"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            admin_client.get("/mail/certificates/expiring/")
        return len(queries)

    add(1)
    few = count()
    for n in range(2, 9):
        add(n)
    assert count() == few


def test_menu_and_permissions(admin_client: Client) -> None:
    home = admin_client.get("/").content.decode()
    assert "/mail/certificates/expiring/" in home and "/mail/database-availability-groups/" in home
    assert Client().get("/mail/certificates/expiring/").status_code == 302  # signed out: to sign-in


def test_former_inventory_pages_lead_to_mail(admin_client: Client) -> None:
    server = f.server("exch-01")
    response = admin_client.get(f"/inventory/mail-servers/{server.pk}/?x=1")
    assert response.status_code == 301 and response["Location"] == f"/mail/mail-servers/{server.pk}/?x=1"
    assert admin_client.get("/inventory/mail-systems/")["Location"] == "/mail/mail-systems/"
