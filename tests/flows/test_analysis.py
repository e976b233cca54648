"""Which rules approved flows explain, the evaluators built on it, and the pages showing it."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irtis.flows import analysis
from irtis.flows.models import FlowStatus
from irtis.network.models import Prefix
from irtis.security.evaluation import EVALUATORS, Status

from .factories import firewall, flow, person, rule, zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate() -> dict:
    dmz = zone("DMZ", "10.10.120.0/25", "10.10.120.128/25")  # a zone is the union of its prefixes
    prod = zone("PROD", "10.10.100.0/24")
    flow("Portalai", dmz, prod, ports="443,8000-8080")
    flow("DNS", Prefix.objects.get(prefix="10.10.100.0/24"), dmz, protocol="udp", ports="53")
    flow("Pasibaigęs", prod, dmz, ports="22", expires=timezone.localdate() - dt.timedelta(days=1))
    flow("Prašomas", prod, dmz, ports="23", status=FlowStatus.REQUESTED)
    return {"dmz": dmz, "prod": prod}


@pytest.mark.parametrize(("source", "destination", "protocol", "ports", "explained"), [
    ("10.10.120.0/24", "10.10.100.0/24", "tcp", "443", True),  # the union of two halves
    ("10.10.120.64/26", "10.10.100.16/28", "tcp", "8000-8080", True),
    ("10.10.120.0/24", "10.10.100.0/24", "tcp", "443,8081", False),  # a port outside the flow
    ("10.10.120.0/24", "10.10.100.0/24", "udp", "443", False),  # another protocol
    ("10.10.120.0/23", "10.10.100.0/24", "tcp", "443", False),  # wider than the zone
    ("any", "10.10.100.0/24", "tcp", "443", False),
    ("10.10.100.0/24", "10.10.120.0/24", "udp", "53", True),  # a flow from a prefix
    ("10.10.100.0/24", "10.10.120.0/24", "tcp", "22", False),  # its flow has expired
    ("10.10.100.0/24", "10.10.120.0/24", "tcp", "23", False),  # its flow is only requested
    ("10.10.120.0/24, 10.10.100.0/24", "10.10.100.0/24", "tcp", "443", False),  # no single flow holds both
])
def test_a_rule_is_explained_by_an_approved_flow_that_contains_it(estate: dict, source: str, destination: str,
                                                                   protocol: str, ports: str,
                                                                   explained: bool) -> None:
    made = rule(firewall(), 1, source, destination, protocol, ports)
    assert (made not in analysis.unexplained()) is explained


def test_deny_rules_need_no_flow_and_the_analysis_reads_in_constant_queries(estate: dict) -> None:
    fw = firewall()
    rule(fw, 1, "any", "any", "any", "", action="deny")
    rule(fw, 2, "10.99.0.0/16", "10.10.100.0/24")
    with CaptureQueriesContext(connection) as few:
        assert [r.position for r in analysis.unexplained()] == [2]
    for n in range(3, 23):
        rule(fw, n, f"10.{n}.0.0/16", "10.10.100.0/24")
    with CaptureQueriesContext(connection) as many:
        assert len(analysis.unexplained()) == 21
    assert len(many) == len(few) == 3


def test_the_evaluators_report_unexplained_rules_old_reviews_and_overdue_flows(estate: dict) -> None:
    assert EVALUATORS["firewall_rules_reviewed"].function().status == Status.NOT_APPLICABLE
    today = timezone.localdate()
    fresh = firewall("fw-naujas")
    fresh.rules_reviewed_at = today - dt.timedelta(days=183)
    fresh.save()
    stale = firewall("fw-senas")
    stale.rules_reviewed_at = today - dt.timedelta(days=184)
    stale.save()
    firewall("fw-niekada")
    reviewed = EVALUATORS["firewall_rules_reviewed"].function()
    assert reviewed.status == Status.FAILED and reviewed.checked == 3
    assert sorted(d.label for d in reviewed.deviations) == ["fw-niekada", "fw-senas"]

    rule(fresh, 1, "10.10.120.0/24", "10.10.100.0/24")
    assert EVALUATORS["firewall_rules_explained"].function().status == Status.PASSED
    rule(fresh, 2, "10.10.120.0/24", "10.10.100.0/24", ports="25")
    explained = EVALUATORS["firewall_rules_explained"].function()
    assert explained.status == Status.FAILED and [d.label for d in explained.deviations] == ["fw-naujas #2 r2"]

    assert EVALUATORS["flows_reviewed"].function().status == Status.PASSED
    flow("Senas", estate["prod"], estate["prod"], review_by=today - dt.timedelta(days=1))
    overdue = EVALUATORS["flows_reviewed"].function()
    assert overdue.status == Status.FAILED and [d.label for d in overdue.deviations] == ["Senas"]


def test_the_matrix_counts_approved_flows_and_links_their_list(estate: dict) -> None:
    client = Client()
    client.force_login(person("ona"))
    page = client.get("/flows/matrix/")
    assert page.status_code == 200
    link = f"?status=approved&amp;from_zone={estate['dmz'].pk}&amp;to_zone={estate['prod'].pk}\">1</a>"
    assert link in page.content.decode()
    listed = client.get(f"/api/flows/flows/?status=approved&from_zone={estate['dmz'].pk}"
                        f"&to_zone={estate['prod'].pk}")
    assert [row["name"] for row in listed.json()["results"]] == ["Portalai"]
    client.force_login(person("niekas", actions=()))
    assert client.get("/flows/matrix/").status_code == 403


def test_the_report_and_the_firewall_pages_show_unexplained_rules(estate: dict) -> None:
    fw = firewall("fw-dc1")
    rule(fw, 7, "10.99.0.0/16", "10.10.100.0/24")
    client = Client()
    client.force_login(person("ona"))
    assert "10.99.0.0/16" in client.get("/flows/analysis/").content.decode()
    assert "10.99.0.0/16" in client.get(f"/flows/firewall-analysis/{fw.pk}/").content.decode()
    upload = client.post(f"/flows/firewall-upload/{fw.pk}/", {"rules": _file("bad.csv", b"position,action\n1,x\n")})
    assert upload.status_code == 400 and fw.rules.count() == 1
    good = b"position,action,source,destination,protocol,ports\n1,allow,10.10.120.0/24,10.10.100.0/24,tcp,443\n"
    assert client.post(f"/flows/firewall-upload/{fw.pk}/", {"rules": _file("ok.csv", good)}).status_code == 302
    assert list(fw.rules.values_list("position", flat=True)) == [1]


def _file(name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
