"""Behind a reverse proxy: the client's address comes from X-Forwarded-For only when the peer is
a trusted proxy, and sign-in throttling, the audit trail and tokens' networks all use it."""

import pytest
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.identity import tokens
from irtis.identity.models import SignInFailure, User
from irtis.identity.proxy import client_address

PASSWORD = "Teisingas-slaptažodis-42"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def trusted(settings):
    settings.IRTIS_TRUSTED_PROXIES = ["10.0.0.0/29", "2001:db8:ffff::/48"]


@pytest.mark.parametrize(
    "peer,header,client",
    [
        (PROXY, "192.0.2.5", "192.0.2.5"),
        (PROXY, "203.0.113.1, 192.0.2.5", "192.0.2.5"),  # the left one was written by the client
        (PROXY, "192.0.2.5, 10.0.0.3", "192.0.2.5"),  # two trusted proxies in a row
        ("192.0.2.99", "192.0.2.5", "192.0.2.99"),  # not a proxy: its header is ignored
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        (PROXY, "garbage, 192.0.2.5", "192.0.2.5"),
        (PROXY, "192.0.2.5, garbage", PROXY),  # a proxy passed garbage: it is the client we know
        (PROXY, "10.0.0.3", "10.0.0.3"),  # only proxies: the farthest
        (PROXY, " 2001:DB8::7 ", "2001:db8::7"),
        ("2001:db8:ffff::1", "192.0.2.5", "192.0.2.5"),
        ("::ffff:10.0.0.2", "192.0.2.5", "192.0.2.5"),  # an IPv4 proxy seen over IPv6
        (PROXY, "192.0.2.5:1234", PROXY),
        (PROXY, "x" * 10000, PROXY),
        ("", "192.0.2.5", None),
    ],
)
def test_client_address(peer, header, client):
    assert client_address(peer, header) == client


def test_untrusted_when_no_proxy_is_configured(settings):
    settings.IRTIS_TRUSTED_PROXIES = []
    assert client_address(PROXY, "192.0.2.5") == PROXY


def test_a_bad_setting_is_named(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.IRTIS_TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="IRTIS_TRUSTED_PROXIES"):
        client_address(PROXY, "192.0.2.5")


def via_proxy(client_ip: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def test_sign_in_behind_the_proxy_throttles_and_audits_the_client(db, settings):
    User.objects.create_user("jonas", password=PASSWORD)
    User.objects.create_user("ona", password=PASSWORD)
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS):
        via_proxy("192.0.2.5").post(reverse("login"), {"username": "jonas", "password": "spejimas"})
    assert set(SignInFailure.objects.values_list("source_ip", flat=True)) == {"192.0.2.5"}
    failed = AuditEntry.objects.filter(action=Action.LOGIN_FAILED)
    assert set(failed.values_list("source_ip", flat=True)) == {"192.0.2.5"}
    # Everyone else behind the same proxy signs in.
    response = via_proxy("192.0.2.6").post(reverse("login"), {"username": "ona", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.get(action=Action.LOGIN).source_ip == "192.0.2.6"


def test_token_networks_are_checked_against_the_client(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("infra")
    user.groups.add(Group.objects.get(name="infra_admin"))
    _t, plain = tokens.issue(user, networks=["192.0.2.0/28"])
    inside = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.5", HTTP_AUTHORIZATION=f"Bearer {plain}")
    outside = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1", HTTP_AUTHORIZATION=f"Bearer {plain}")
    forged = Client(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.5", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert inside.get("/api/inventory/sites/").status_code == 200
    assert outside.get("/api/inventory/sites/").status_code == 401
    assert forged.get("/api/inventory/sites/").status_code == 401
    refused = AuditEntry.objects.filter(action=Action.TOKEN_REFUSED).order_by("id")
    assert list(refused.values_list("source_ip", flat=True)) == ["198.51.100.1"]
