"""API tokens: issued once (command and page), checked on every request, refused when expired,
forged, revoked or used from a disallowed network, read-only enforced, and audited."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from irtis.audit.models import Action, AuditEntry
from irtis.identity import tokens
from irtis.identity.models import APIToken, TokenRefusal, User

SITES = "/api/inventory/sites/"


@pytest.fixture
def infra(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("infra")
    user.groups.add(Group.objects.get(name="infra_admin"))
    return user


def api(plain: str, address: str = "10.0.0.5") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}", REMOTE_ADDR=address)


def refusals() -> list[str]:
    return [
        e.after["reason"]
        for e in AuditEntry.objects.filter(action=Action.TOKEN_REFUSED).order_by("id")
    ]


def test_command_creates_a_token_shown_once(infra):
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "infra",
        "--expires",
        "30",
        "--read-only",
        "--network",
        "10.0.0.0/8",
        "--description",
        "Zabbix",
        stdout=out,
        stderr=io.StringIO(),
    )
    plain = out.getvalue().strip()
    token = APIToken.objects.get()
    assert plain.startswith("irt_") and plain not in str(APIToken.objects.values().get())
    assert (
        token.read_only
        and token.allowed_networks == ["10.0.0.0/8"]
        and token.description == "Zabbix"
    )
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert api(plain).get(SITES).status_code == 200
    created = AuditEntry.objects.get(action=Action.TOKEN_CREATED)
    assert created.after["prefix"] == token.prefix and plain not in str(created.after)


def test_command_revokes_by_prefix(infra):
    token, plain = tokens.issue(infra)
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    assert api(plain).get(SITES).status_code == 401
    assert AuditEntry.objects.filter(action=Action.TOKEN_REVOKED).count() == 1
    with pytest.raises(CommandError):
        call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO())


@pytest.mark.parametrize("case", ["expired", "forged", "revoked", "network", "inactive"])
def test_bad_tokens_are_refused_and_audited(infra, case):
    token, plain = tokens.issue(infra, networks=["10.0.0.0/24"] if case == "network" else None)
    if case == "expired":
        APIToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    elif case == "forged":
        plain = plain[:-4] + ("AAAA" if not plain.endswith("AAAA") else "BBBB")
    elif case == "revoked":
        tokens.revoke(token)
    elif case == "inactive":
        User.objects.filter(pk=infra.pk).update(is_active=False)
    client = api(plain, address="192.168.1.1")
    assert client.get(SITES).status_code == 401
    assert client.post(SITES, "[]", content_type="application/json").status_code == 401
    reason = {"forged": "unknown", "inactive": "inactive user"}.get(case, case)
    assert refusals() == [reason]  # one entry per source, reason and interval; both counted
    assert TokenRefusal.objects.get().count == 2
    entry = AuditEntry.objects.filter(action=Action.TOKEN_REFUSED).first()
    assert entry.source_ip == "192.168.1.1"


def test_allowed_network_accepted(infra):
    _t, plain = tokens.issue(infra, networks=["10.0.0.0/24", "2001:db8::/32"])
    assert api(plain, "10.0.0.77").get(SITES).status_code == 200
    assert api(plain, "2001:db8::5").get(SITES).status_code == 200
    assert api(plain, "10.0.1.1").get(SITES).status_code == 401


def test_read_only_token_cannot_write(infra):
    _t, plain = tokens.issue(infra, read_only=True)
    client = api(plain)
    assert client.get(SITES).status_code == 200
    body = '{"code": "RO", "name": "Tik skaityti", "kind": "seaport"}'
    assert client.post(SITES, body, content_type="application/json").status_code == 403
    _t, writer = tokens.issue(infra)
    assert api(writer).post(SITES, body, content_type="application/json").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_refusal_is_committed_outside_a_transaction(infra):
    assert not connection.in_atomic_block
    assert api("irt_forged-token-text").get(SITES).status_code == 401
    assert refusals() == ["unknown"]


def test_a_flood_of_garbage_tokens_is_aggregated_and_rate_limited(infra, settings):
    settings.IRTIS_TOKEN_REFUSAL_LIMIT = 5
    _t, valid = tokens.issue(infra)
    answers = [api(f"irt_garbage-{n}", "198.51.100.9").get(SITES).status_code for n in range(8)]
    assert answers == [401] * 5 + [429] * 3
    assert api("not even a token", "198.51.100.9").get(SITES).status_code == 429
    assert api(valid, "198.51.100.9").get(SITES).status_code == 200  # a valid token still passes
    assert api("irt_garbage", "198.51.100.10").get(SITES).status_code == 401  # another source
    entries = AuditEntry.objects.filter(action=Action.TOKEN_REFUSED, source_ip="198.51.100.9")
    assert [e.after.get("rate_limited") for e in entries.order_by("id")] == [None, 5]
    assert TokenRefusal.objects.get(source_ip="198.51.100.9").count == 5
    # The next interval starts afresh.
    TokenRefusal.objects.update(start=timezone.now() - timedelta(seconds=2 * settings.IRTIS_TOKEN_REFUSAL_INTERVAL))
    assert api("irt_garbage", "198.51.100.9").get(SITES).status_code == 401
    assert entries.count() == 3


def test_use_is_audited_at_most_once_an_hour(infra):
    token, plain = tokens.issue(infra)
    client = api(plain)
    for _ in range(3):
        assert client.get(SITES).status_code == 200
    assert AuditEntry.objects.filter(action=Action.TOKEN_USED).count() == 1
    APIToken.objects.filter(pk=token.pk).update(use_recorded=timezone.now() - timedelta(minutes=61))
    client.get(SITES)
    used = AuditEntry.objects.filter(action=Action.TOKEN_USED)
    assert (
        used.count() == 2 and used.first().actor == infra and used.first().source_ip == "10.0.0.5"
    )


def test_token_page_lists_creates_and_revokes_own_tokens(infra):
    other = User.objects.create_user("kitas")
    foreign, _ = tokens.issue(other)
    client = Client()
    client.force_login(infra)
    response = client.post(
        reverse("account:tokens"), {"description": "Ansible", "days": 7, "networks": "10.0.0.0/8"}
    )
    assert response.status_code == 200
    plain = response.context["plain"]
    assert plain in response.content.decode() and "no-store" in response["Cache-Control"]
    page = client.get(reverse("account:tokens")).content.decode()
    assert plain not in page and "Ansible" in page and foreign.prefix not in page
    token = APIToken.objects.get(user=infra)
    assert api(plain).get(SITES).status_code == 200
    assert client.post(reverse("account:token_revoke", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("account:token_revoke", args=[token.pk])).status_code == 302
    assert api(plain).get(SITES).status_code == 401
    bad = client.post(reverse("account:tokens"), {"networks": "ne-tinklas"})
    assert bad.status_code == 400


def test_the_authorization_header_is_read_as_http_bearer(infra):
    """The scheme in any case; any other scheme, or none, is no token at all (401, nothing
    audited); a bearer without a token is a refused token."""
    _, plain = tokens.issue(infra)
    answers = {header: Client(HTTP_AUTHORIZATION=header).get(SITES).status_code
               for header in (f"bearer {plain}", f"BEARER {plain}", f"Token {plain}", plain, "Basic eDp5", "")}
    assert answers == {f"bearer {plain}": 200, f"BEARER {plain}": 200, f"Token {plain}": 401, plain: 401,
                       "Basic eDp5": 401, "": 401}
    assert refusals() == []
    assert Client(HTTP_AUTHORIZATION="Bearer").get(SITES).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer  {plain}").get(SITES).status_code == 401  # the token is " irt_…"
    assert refusals() == ["unknown"]  # once an interval, counted
    assert sum(TokenRefusal.objects.values_list("count", flat=True)) == 2
