"""Sign-in with Active Directory accounts (statute 2.9), against a real Samba AD DC."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from irtis.identity import directory
from irtis.identity.directory import DirectorySettings
from tests.support.language import choose

pytestmark = pytest.mark.django_db
User = get_user_model()

INNER_DN = "CN=G_INNER,CN=Users,DC=irtis,DC=test"
ROLES = {
    INNER_DN.lower().replace(",", ", "): ["infra_admin"],  # by DN (any case and spacing)
    "g_outer": ["network_admin", "auditor"],  # by CN
    "G_UNUSED": ["dba"],
}
UNREACHABLE = "Active Directory is unreachable; sign in with a local account or try later."
BAD_CERTIFICATE = "certificate could not be verified"
WRONG = "Wrong user name or password."


@pytest.fixture
def ad(settings: Any, samba_dc: Any) -> Any:
    """Django configured for the Samba DC: AD backend first, local passwords after it."""
    settings.ACTIVE_DIRECTORY = samba_dc.settings(GROUP_ROLES=ROLES)
    backend = "irtis.identity.ldap.ActiveDirectoryBackend"
    others = [b for b in settings.AUTHENTICATION_BACKENDS if b != backend]
    settings.AUTHENTICATION_BACKENDS = [backend, *others]
    settings.LANGUAGE_CODE = "en"
    return samba_dc


def sign_in(username: str, password: str) -> tuple[Client, Any]:
    client = choose(Client(), "en")
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def signed_in_user(client: Client) -> Any:
    """Who passed the password step: signed in, or sent on to the second factor (MFA)."""
    user_id = client.session.get("_auth_user_id") or (
        client.session.get("irtis_mfa_pending") or {}).get("user")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.mark.parametrize("form", ["jonas", "IRTIS\\jonas", "irtis\\Jonas", "jonas@irtis.test"])
def test_sign_in_forms(ad: Any, form: str) -> None:
    client, response = sign_in(form, ad.passwords["jonas"])
    assert response.status_code == 302, response.content.decode()[:2000]
    user = signed_in_user(client)
    assert user.username == "jonas" and user.source == "ad"
    assert not user.has_usable_password()
    assert User.objects.filter(username__iexact="jonas").count() == 1


def test_attributes_synced(ad: Any) -> None:
    client, _ = sign_in("jonas", ad.passwords["jonas"])
    user = signed_in_user(client)
    assert (user.first_name, user.last_name) == ("Jonas", "Žemaitis")
    assert user.email == "jonas@irtis.test"
    assert user.department == "Tinklų skyrius"
    # Changed in irtis, restored from AD at the next sign-in.
    User.objects.filter(pk=user.pk).update(department="kita", first_name="X")
    sign_in("IRTIS\\jonas", ad.passwords["jonas"])
    user.refresh_from_db()
    assert (user.first_name, user.department) == ("Jonas", "Tinklų skyrius")


@pytest.mark.parametrize("service_account", [True, False], ids=["service-account", "bind-as-user"])
def test_wrong_password_refused(ad: Any, settings: Any, service_account: bool) -> None:
    if not service_account:
        settings.ACTIVE_DIRECTORY = ad.settings(BIND_DN="", BIND_PASSWORD="")
    client, response = sign_in("petras", "Neteisingas-1!")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(username="petras").exists()
    assert authenticate(username="petras", password="") is None  # never an anonymous bind


@pytest.mark.parametrize("service_account", [True, False], ids=["service-account", "bind-as-user"])
@pytest.mark.parametrize("name", ["dalia", "lukas", "egle"], ids=["disabled", "locked", "expired"])
def test_unusable_accounts_refused(ad: Any, settings: Any, name: str,
                                   service_account: bool) -> None:
    if not service_account:
        settings.ACTIVE_DIRECTORY = ad.settings(BIND_DN="", BIND_PASSWORD="")
    client, response = sign_in(name, ad.passwords[name])
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_user(client) is None


def test_account_state_is_read_from_ad(ad: Any) -> None:
    conf = DirectorySettings.load()
    with directory.session(conf, conf.bind_dn, conf.bind_password) as conn:
        state = {
            name: directory.find_account(conn, conf, directory.parse_login(name, conf)).refusal()
            for name in ("jonas", "dalia", "lukas", "egle")
        }
    assert state == {"jonas": None, "dalia": "disabled", "lukas": "locked",
                     "egle": "account expired"}


def test_nested_groups_map_to_roles(ad: Any) -> None:
    existing = User.objects.create(username="jonas", source="ad")
    existing.groups.add(Group.objects.get_or_create(name="dba")[0])  # not granted by AD: must go
    client, _ = sign_in("jonas", ad.passwords["jonas"])
    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {
        "infra_admin", "network_admin", "auditor"}


def test_role_removed_when_membership_removed(ad: Any) -> None:
    client, _ = sign_in("ona", ad.passwords["ona"])
    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {
        "infra_admin", "network_admin", "auditor"}
    ad.set_member("G_INNER", "ona", member=False)
    try:
        sign_in("ona", ad.passwords["ona"])
        assert set(user.groups.values_list("name", flat=True)) == set()
        ad.set_member("G_OUTER", "ona", member=True)  # directly in the outer group only
        sign_in("ona", ad.passwords["ona"])
        assert set(user.groups.values_list("name", flat=True)) == {"network_admin", "auditor"}
    finally:
        ad.set_member("G_OUTER", "ona", member=False)
        ad.set_member("G_INNER", "ona", member=True)


def test_samba_evaluates_in_chain_and_walk_agrees(ad: Any) -> None:
    conf = DirectorySettings.load()
    with directory.session(conf, conf.bind_dn, conf.bind_password) as conn:
        account = directory.find_account(conn, conf, directory.parse_login("jonas", conf))
        in_chain = directory.groups_of(conn, conf, account)
        walked = directory.walk_groups(conn, account.attributes["memberOf"])
    names = {directory.common_name(dn) for dn in in_chain}
    assert names == {"g_inner", "g_outer"}  # G_OUTER only through G_INNER
    assert {directory.common_name(dn) for dn in walked} == names


def test_starttls(ad: Any, settings: Any) -> None:
    settings.ACTIVE_DIRECTORY = ad.settings(URI=[ad.starttls_uri], STARTTLS=True)
    client, response = sign_in("jonas@irtis.test", ad.passwords["jonas"])
    assert response.status_code == 302
    assert signed_in_user(client).username == "jonas"


def test_plain_ldap_without_starttls_is_refused(ad: Any, settings: Any) -> None:
    settings.ACTIVE_DIRECTORY = ad.settings(URI=[ad.starttls_uri], STARTTLS=False)
    with pytest.raises(ImproperlyConfigured, match="plain LDAP"):
        DirectorySettings.load()
    _, response = sign_in("jonas", ad.passwords["jonas"])  # misconfigured: no 500
    assert response.status_code == 200 and UNREACHABLE in response.content.decode()


@pytest.mark.parametrize("starttls", [False, True], ids=["ldaps", "starttls"])
def test_wrong_ca_refused(ad: Any, settings: Any, starttls: bool) -> None:
    uri = ad.starttls_uri if starttls else ad.ldaps_uri
    settings.ACTIVE_DIRECTORY = ad.settings(URI=[uri], STARTTLS=starttls,
                                            CA_FILE=str(ad.wrong_ca_file))
    client, response = sign_in("jonas", ad.passwords["jonas"])
    assert response.status_code == 200
    assert BAD_CERTIFICATE in response.content.decode()
    assert signed_in_user(client) is None


def test_host_name_must_match_certificate(ad: Any, settings: Any) -> None:
    # Right CA, but the certificate names localhost, not 127.0.0.1.
    settings.ACTIVE_DIRECTORY = ad.settings(URI=["ldaps://127.0.0.1:636"])
    client, response = sign_in("jonas", ad.passwords["jonas"])
    assert BAD_CERTIFICATE in response.content.decode()
    assert signed_in_user(client) is None


def test_failover_to_second_dc(ad: Any, settings: Any) -> None:
    dead = f"ldaps://localhost:{closed_port()}"
    settings.ACTIVE_DIRECTORY = ad.settings(URI=[dead, ad.ldaps_uri])
    client, response = sign_in("jonas", ad.passwords["jonas"])
    assert response.status_code == 302 and signed_in_user(client).username == "jonas"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_dc() -> Iterator[int]:
    """A "DC" that accepts connections and never answers (hung server, dropped packets)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for s in [*held, server]:
        s.close()


@pytest.mark.parametrize("dead", ["closed-port", "silent"])
def test_dc_down_shows_message_and_local_accounts_work(
    ad: Any, settings: Any, silent_dc: int, dead: str
) -> None:
    port = closed_port() if dead == "closed-port" else silent_dc
    settings.ACTIVE_DIRECTORY = ad.settings(URI=[f"ldaps://localhost:{port}"], TIMEOUT=1)
    client, response = sign_in("jonas", ad.passwords["jonas"])
    assert response.status_code == 200
    assert UNREACHABLE in response.content.decode()
    assert signed_in_user(client) is None
    lithuanian = choose(Client(), "lt").post(
        reverse("login"), {"username": "jonas", "password": ad.passwords["jonas"]})
    assert "Active Directory nepasiekiama" in lithuanian.content.decode()

    User.objects.create_superuser("breakglass", "bg@irtis.test", "Vietinis-Slaptas-1!")
    client, response = sign_in("breakglass", "Vietinis-Slaptas-1!")
    assert response.status_code == 302
    assert signed_in_user(client).username == "breakglass"
    # A wrong local password while AD is down: the ordinary message, AD was not asked.
    _, response = sign_in("breakglass", "bad")
    assert WRONG in response.content.decode()


def test_dc_stopped(ad: Any, settings: Any) -> None:
    """The real DC process stopped and started again."""
    ad.stop()
    try:
        _, response = sign_in("jonas", ad.passwords["jonas"])
        assert response.status_code == 200 and UNREACHABLE in response.content.decode()
    finally:
        ad.start()
    _, response = sign_in("jonas", ad.passwords["jonas"])
    assert response.status_code == 302


def test_local_account_not_taken_over_by_ad(ad: Any) -> None:
    local = User.objects.create_user("jonas", password="Vietinis-Slaptas-1!")
    client, response = sign_in("IRTIS\\jonas", ad.passwords["jonas"])
    assert response.status_code == 200 and signed_in_user(client) is None
    local.refresh_from_db()
    assert local.source == "local" and local.has_usable_password()


def test_deactivated_in_irtis_refused(ad: Any) -> None:
    User.objects.create(username="jonas", source="ad", is_active=False)
    client, response = sign_in("jonas", ad.passwords["jonas"])
    assert response.status_code == 200 and signed_in_user(client) is None


def test_other_domain_and_unknown_user_not_ad(ad: Any) -> None:
    assert authenticate(username="KITAS\\jonas", password=ad.passwords["jonas"]) is None
    assert authenticate(username="nobody", password="Whatever-1!") is None


def test_off_without_uri(settings: Any) -> None:
    settings.ACTIVE_DIRECTORY = {"URI": []}
    assert DirectorySettings.load() is None


def test_settings_read_from_environment() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "irtis.settings",
           "IRTIS_AD_URI": "ldaps://dc1.muitine.lt, ldaps://dc2.muitine.lt",
           "IRTIS_AD_GROUP_ROLES": '{"CN=IRTIS-Admins,DC=muitine,DC=lt": ["irtis_admin"]}'}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.AUTHENTICATION_BACKENDS[0], s.ACTIVE_DIRECTORY['URI'])")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=root).stdout
    assert out.split(" ", 1) == ["irtis.identity.ldap.ActiveDirectoryBackend",
                                 "['ldaps://dc1.muitine.lt', 'ldaps://dc2.muitine.lt']\n"]
    env["IRTIS_AD_GROUP_ROLES"] = "{not json"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=root)
    assert bad.returncode != 0 and "IRTIS_AD_GROUP_ROLES is not valid JSON" in bad.stderr


def test_fixture_start_time(samba_dc: Any) -> None:
    print(f"Samba AD DC ready in {samba_dc.started_in:.1f} s")
    assert samba_dc.started_in < 300
