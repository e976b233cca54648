"""SPF, DKIM and DMARC checks of accepted domains against a real DNS server (dnsmasq on loopback)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from irtis.mail import checks, jobs, records
from irtis.mail.models import DomainCheck
from irtis.tasks.runs import execute
from tests.support import dns

from . import factories as f

KEY = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtestas"
DMARC = "v=DMARC1; p=reject; rua=mailto:dmarc@{domain}"
RECORDS = {
    "geras.lt": ["v=spf1 mx ip4:192.0.2.10 -all"],
    "_dmarc.geras.lt": [DMARC.format(domain="geras.lt")],
    "s1._domainkey.geras.lt": [KEY],
    "bedmarc.lt": ["v=spf1 mx -all"],
    "plius.lt": ["v=spf1 +all"],
    "_dmarc.plius.lt": ["v=DMARC1; p=none"],
    "dvispf.lt": ["v=spf1 mx -all", "v=spf1 a -all", "google-site-verification=x"],
    "_dmarc.dvispf.lt": [DMARC.format(domain="dvispf.lt")],
    "bedkim.lt": ["v=spf1 mx -all"],
    "_dmarc.bedkim.lt": [DMARC.format(domain="bedkim.lt")],
    "s1._domainkey.bedkim.lt": [KEY],
    "minkstas.lt": ["v=spf1 " + " ".join(f"include:spf{i}.example.lt" for i in range(11)) + " ~all"],
    "_dmarc.minkstas.lt": [DMARC.format(domain="minkstas.lt")],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with dns.serving(RECORDS, tmp_path_factory.mktemp("dnsmasq") / "dnsmasq.log") as port:
        yield port


@pytest.fixture
def resolver(server: int, settings: Any) -> int:
    settings.IRTIS_DNS_RESOLVERS = [f"{dns.HOST}:{server}"]
    settings.IRTIS_DNS_TIMEOUT = 2
    return server


def messages(result: DomainCheck, level: str) -> list[str]:
    return [message for found, message in result.findings if found == level]


def test_a_good_domain_is_in_order(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("geras.lt", selectors="s1"))
    assert result.status == "ok", result.findings
    assert result.spf == ["v=spf1 mx ip4:192.0.2.10 -all"]
    assert result.dmarc == ["v=DMARC1; p=reject; rua=mailto:dmarc@geras.lt"]
    assert result.dkim == {"s1": [KEY]}
    assert result.resolvers == f"127.0.0.1:{resolver}" and not result.error


def test_missing_dmarc_is_an_error(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("bedmarc.lt"))
    assert result.status == "error"
    assert messages(result, "error") == ["Nėra DMARC įrašo (_dmarc)."]
    assert "Nesukonfigūruotas nė vienas domeno DKIM selektorius." in messages(result, "warning")


def test_spf_allowing_anyone_and_dmarc_none(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("plius.lt"))
    assert result.status == "error"
    assert any("+all" in m for m in messages(result, "error"))
    warnings = messages(result, "warning")
    assert any("none" in m for m in warnings) and any("rua=" in m for m in warnings)


def test_two_spf_records_are_an_error(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("dvispf.lt"))
    assert len(result.spf) == 2  # the other TXT record is not SPF
    assert messages(result, "error") == ["SPF įrašų: 2; domenas turi skelbti lygiai vieną."]


def test_a_missing_dkim_selector_is_named(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("bedkim.lt", selectors="s1, s2"))
    assert result.dkim == {"s1": [KEY], "s2": []}
    assert messages(result, "error") == ["Nėra DKIM rakto s2._domainkey.bedkim.lt."]


def test_soft_fail_and_too_many_lookups(db: Any, resolver: int) -> None:
    result = checks.check(f.domain("minkstas.lt"))
    assert any("~all" in m for m in messages(result, "warning"))
    assert any("11" in m for m in messages(result, "error"))


def test_no_answer_is_an_error_recorded_not_a_missing_record(db: Any, settings: Any) -> None:
    settings.IRTIS_DNS_RESOLVERS = [f"{dns.HOST}:{dns.free_port()}"]  # nothing listens there
    settings.IRTIS_DNS_TIMEOUT = 0.5
    result = checks.check(f.domain("geras.lt", selectors="s1"))
    assert result.status == "error" and result.findings == [] and result.spf == []
    assert "geras.lt" in result.error and "0.5" in result.error


def test_check_now_on_the_page(admin_client: Client, resolver: int) -> None:
    domain = f.domain("geras.lt", selectors="s1")
    page = admin_client.get(domain.get_absolute_url())
    assert "Tikrinti dabar" in page.content.decode()
    response = admin_client.post(f"/mail/accepted-domains/{domain.pk}/check/", follow=True)
    text = response.content.decode()
    assert 'data-status="ok"' in text and "v=spf1 mx ip4:192.0.2.10 -all" in text
    assert DomainCheck.objects.get(domain=domain).status == "ok"


def test_the_scheduled_job_checks_every_domain(db: Any, resolver: int) -> None:
    f.domain("geras.lt", selectors="s1")
    f.domain("plius.lt")
    run = jobs.check_domains.start()
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.result == {"ok": 1, "warning": 0, "error": 1}
    assert dict(DomainCheck.objects.values_list("domain__domain", "status")) == {"geras.lt": "ok", "plius.lt": "error"}


def test_schedules_may_start_the_job() -> None:
    assert jobs.check_domains.schedulable


def test_resolvers_setting(settings: Any) -> None:
    settings.IRTIS_DNS_RESOLVERS = ["127.0.0.1:5353", "[::1]:5353"]
    resolver = records.resolver()
    assert (resolver.nameservers, resolver.port) == (["127.0.0.1", "::1"], 5353)
    settings.IRTIS_DNS_RESOLVERS = ["10.0.0.1", "::1"]
    assert (records.resolver().nameservers, records.resolver().port) == (["10.0.0.1", "::1"], 53)
